package org.infodyn.tasks.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tabular task on CSV and on NumPy files written by NumPy itself, and every bad input it must refuse. */
class TabularTaskTest {
    static final Path NUMPY = Path.of("src", "test", "resources", "numpy").toAbsolutePath();

    @TempDir
    Path dir;

    private final TabularTask task = new TabularTask();

    private Dataset create(Map<String, Object> params) {
        return task.create(Params.bind("task", params, task.parameters()), 7);
    }

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Map<String, Object> params(Path data, Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("data", data.toString(), "target", "y"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void readsACsvWithIntegerAndTextLabels() throws IOException {
        Path f = csv("t.csv", "a,b,y,site\n1,2,0,north\n3,4,1,south\n5,6,2,north\n7,8,0,east\n\n");
        Dataset d = create(params(f, "variables", List.of("site"), "standardize", false, "probeFraction", 0.25));
        assertThat(d.sampleShape()).containsExactly(2);
        assertThat(d.inputs().data()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        Variable y = d.variable("y").orElseThrow();
        assertThat(y.classes()).isEqualTo(3);
        assertThat(y.labels()).containsExactly(0, 1, 2, 0);
        Variable site = d.variable("site").orElseThrow();
        assertThat(site.classNames()).containsExactly("east", "north", "south"); // sorted
        assertThat(site.labels()).containsExactly(1, 2, 1, 0);
        assertThat(d.defaultTarget()).isEqualTo("y");
        assertThat(d.trainIndices().length + d.probeIndices().length).isEqualTo(4);
        assertThat(d.probeIndices()).hasSize(1);
    }

    @Test
    void quotedFieldsMayHoldSeparatorsAndDeclaredClassesFixTheOrder() throws IOException {
        Path f = csv("q.csv", "x,y,grade\n1,0,\"low, really\"\n2,1,high\n3,0,mid\n");
        Dataset d = create(params(f, "variables", List.of("grade"), "standardize", false,
                "classes", List.of(Map.of("column", "grade", "names", List.of("low, really", "mid", "high")))));
        assertThat(d.variable("grade").orElseThrow().labels()).containsExactly(0, 2, 1);
    }

    @Test
    void standardisesWithTheTrainSplitOnlyAndHonoursASplitColumn() throws IOException {
        Path f = csv("s.csv", "x,y,part\n1,0,train\n3,1,train\n100,0,probe\n");
        Dataset d = create(params(f, "split", "part"));
        assertThat(d.trainIndices()).containsExactly(0, 1);
        assertThat(d.probeIndices()).containsExactly(2);
        float[] x = d.inputs().data();
        assertThat(x[0]).isCloseTo(-1f, within(1e-6f));
        assertThat(x[1]).isCloseTo(1f, within(1e-6f));
        assertThat(x[2]).isCloseTo(98f, within(1e-4f)); // (100 − 2) / 1: the probe row did not move the statistics
    }

    @Test
    void featuresMayBeChosenAndShapedForImageLayers() throws IOException {
        Path f = csv("img.csv", "p0,p1,p2,p3,ignored,y\n1,2,3,4,9,0\n5,6,7,8,9,1\n1,1,1,1,9,0\n");
        Dataset d = create(params(f, "features", List.of("p0", "p1", "p2", "p3"), "shape", List.of(1L, 2L, 2L), "standardize", false));
        assertThat(d.sampleShape()).containsExactly(1, 2, 2);
        assertThat(d.inputs().data()).startsWith(1, 2, 3, 4, 5);
    }

    @Test
    void semicolonAndTabSeparators() throws IOException {
        assertThat(create(params(csv("a.csv", "x;y\n1;0\n2;1\n"), "separator", ";", "standardize", false)).inputs().data())
                .containsExactly(1, 2);
        assertThat(create(params(csv("a.tsv", "x\ty\n1\t0\n2\t1\n"), "separator", "tab", "standardize", false)).inputs().data())
                .containsExactly(1, 2);
    }

    @Test
    void readsNumpyArchivesWrittenByNumpy() {
        Dataset d = create(params(NUMPY.resolve("table.npz"), "variables", List.of("site"), "features", List.of("x", "big", "flag"),
                "standardize", false));
        assertThat(d.size()).isEqualTo(40);
        assertThat(d.sampleShape()).containsExactly(6); // 3 + 2 + 1 columns
        float[] x = d.inputs().data();
        // row 3: x = [sin 3, cos 3, 3/40], big (Fortran order, big-endian) = [6/7, 7/7], flag = (3 % 3 == 0)
        assertThat(x[3 * 6]).isCloseTo((float) Math.sin(3), within(1e-6f));
        assertThat(x[3 * 6 + 2]).isCloseTo(3 / 40f, within(1e-7f));
        assertThat(x[3 * 6 + 3]).isCloseTo(6 / 7f, within(1e-6f));
        assertThat(x[3 * 6 + 4]).isCloseTo(1f, within(1e-6f));
        assertThat(x[3 * 6 + 5]).isEqualTo(1f);
        assertThat(d.variable("site").orElseThrow().classNames()).containsExactly("east", "north", "south", "west");
        assertThat(d.variable("y").orElseThrow().labels()).startsWith(0, 1, 0, 1);
        Dataset compressed = create(params(NUMPY.resolve("table-compressed.npz"), "variables", List.of("site"), "standardize", false));
        assertThat(compressed.inputs().data()).startsWith(x[0], x[1], x[2]);
    }

    @Test
    void aSingleImageArrayKeepsItsShape() {
        Dataset d = create(params(NUMPY.resolve("images.npz"), "target", "label"));
        assertThat(d.sampleShape()).containsExactly(2, 4, 4);
    }

    @Test
    void aFolderOfNpyFilesIsAnUnpackedArchive() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("arrays"));
        Files.copy(NUMPY.resolve("half.npy"), folder.resolve("h.npy"));
        Files.write(folder.resolve("y.npy"), NpyFiles.int64(new long[] {0, 1, 1, 0}));
        Dataset d = create(params(folder, "standardize", false));
        assertThat(d.inputs().data()).containsExactly(1.5f, -2.0f, 65504.0f, 0x1p-14f); // the half nearest 6.1035e-05 is 2^-14
    }

    @Test
    void refusesEachBadInputNamingTheFileAndPlace() throws IOException {
        refused(params(csv("r.csv", "a,b,y\n1,2,0\n3,4\n")), "task.data: " + dir.resolve("r.csv") + " line 3: 2 fields, but the header has 3 columns");
        refused(params(csv("n.csv", "a,b,y\n1,2,0\n3,four,1\n")), "line 3, column 'b': 'four' is not a number");
        refused(params(csv("e.csv", "a,b,y\n1,,0\n3,4,1\n")), "line 2, column 'b': missing value");
        refused(params(csv("i.csv", "a,y\n1,0\nNaN,1\n")), "line 3, column 'a': NaN is not a finite number");
        refused(params(csv("m.csv", "a,b,z\n1,2,0\n")), "task.target: no column 'y' in " + dir.resolve("m.csv") + "; it has a, b, z");
        refused(params(csv("v.csv", "a,y\n1,0\n2,1\n"), "variables", List.of("colour")), "task.variables: no column 'colour'");
        refused(params(csv("c.csv", "a,y,g\n1,0,low\n2,1,huge\n"), "variables", List.of("g"),
                "classes", List.of(Map.of("column", "g", "names", List.of("low", "high")))),
                "line 3, column 'g': unknown class name 'huge'; declared: low, high");
        refused(params(csv("one.csv", "a,y\n1,0\n2,0\n")), "column 'y' holds a single class (0)");
        refused(params(csv("h.csv", "a,y\n")), "has a header but no data rows");
        refused(params(csv("empty.csv", "")), "is empty");
        refused(params(csv("d.csv", "a,a,y\n1,2,0\n")), "line 1: column 'a' appears twice");
        refused(params(csv("sp.csv", "a,y,s\n1,0,train\n2,1,test\n"), "split", "s"), "line 3, column 's': 'test' is not a split; allowed: train, probe");
        refused(params(csv("sh.csv", "a,b,y\n1,2,0\n3,4,1\n"), "shape", List.of(1L, 3L)), "task.shape: [1, 3] holds 3 values per sample, but the data has 2");
        refused(params(csv("f.csv", "a,y\n1,0\n2,1\n"), "features", List.of("y")), "task.features: 'y' is also the target");
        refused(params(csv("u.csv", "a,y\n1,0\n2,1\n\"3,1\n")), "line 5: Missing closing quote for value");
        refused(params(dir.resolve("missing.csv")), "task.data: no such file or folder");
        refused(params(csv("x.xlsx", "")), "is not a table infodyn reads; allowed: a .csv");
        refused(params(NUMPY.resolve("half.npy")), "is a single array");
    }

    @Test
    void refusesUnsupportedNumpyDtypesNamingThem() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("bad"));
        Files.write(folder.resolve("y.npy"), NpyFiles.int64(new long[] {0, 1, 0, 1}));
        Files.copy(NUMPY.resolve("complex.npy"), folder.resolve("x.npy"));
        refused(params(folder), "x.npy: unsupported dtype '<c8'");
        Files.copy(NUMPY.resolve("objects.npy"), folder.resolve("x.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        refused(params(folder), "x.npy: unsupported dtype '|O'");
        Files.write(folder.resolve("x.npy"), new byte[] {1, 2, 3});
        refused(params(folder), "x.npy is not a NumPy .npy array");
        Files.write(folder.resolve("x.npy"), NpyFiles.int64(new long[] {1, 2, 3}));
        refused(params(folder), "y.npy has 4 rows but " + folder.resolve("x.npy") + " has 3");
        refused(params(NUMPY.resolve("table.npz"), "features", List.of("site")), "task.features: " + NUMPY.resolve("table.npz") + ":site has dtype <U5 (text)");
    }

    private void refused(Map<String, Object> params, String message) {
        assertThatThrownBy(() -> create(params)).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
