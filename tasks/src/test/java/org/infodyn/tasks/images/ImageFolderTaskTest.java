package org.infodyn.tasks.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.task.Task;
import org.infodyn.testkit.TaskCompatibilityKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image-folder on PNG and JPEG files written with ImageIO, against the Task contract, and every bad input it must refuse. */
class ImageFolderTaskTest extends TaskCompatibilityKit {
    private static final Path KIT = kitFolder();

    @TempDir
    Path dir;

    @Override
    protected Task task() {
        return new ImageFolderTask();
    }

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("data", KIT.toString(), "variables", "attributes.csv");
    }

    /** Two classes of 12 grey 6×6 images each (bright left half vs bright right half), half of them marked "noisy". */
    private static Path kitFolder() {
        try {
            Path root = Files.createDirectories(Path.of("target", "image-folder-kit"));
            StringBuilder csv = new StringBuilder("file,noisy\n");
            for (String cls : List.of("left", "right")) {
                Files.createDirectories(root.resolve(cls));
                for (int i = 0; i < 12; i++) {
                    BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 6; y++) {
                        for (int x = 0; x < 6; x++) {
                            boolean bright = cls.equals("left") == x < 3;
                            int v = (bright ? 200 : 40) + (i % 2 == 0 ? 0 : (x * 7 + y * 3 + i) % 30);
                            img.getRaster().setSample(x, y, 0, v);
                        }
                    }
                    String name = String.format("%s/%02d.png", cls, i);
                    ImageIO.write(img, "png", root.resolve(name).toFile());
                    csv.append(name).append(',').append(i % 2 == 0 ? "clean" : "noisy").append('\n');
                }
            }
            Files.writeString(root.resolve("attributes.csv"), csv);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Dataset create(Map<String, Object> params) {
        return task().create(Params.bind("task", params, task().parameters()), 3);
    }

    private static void image(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb + x); // a gradient in the blue channel
            }
        }
        String ext = file.getFileName().toString().endsWith(".png") ? "png" : "jpg";
        ImageIO.write(img, ext, file.toFile());
    }

    private Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("data", dir.toString()));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void greyImagesMakeOneChannelAndTheCsvMakesVariables() {
        Dataset d = create(parameters());
        assertThat(d.sampleShape()).containsExactly(1, 6, 6);
        assertThat(d.size()).isEqualTo(24);
        assertThat(d.variable("class").orElseThrow().classNames()).containsExactly("left", "right");
        assertThat(d.variable("noisy").orElseThrow().classNames()).containsExactly("clean", "noisy");
        assertThat(d.variable("noisy").orElseThrow().labels()).startsWith(0, 1, 0, 1);
        assertThat(d.defaultTarget()).isEqualTo("class");
    }

    @Test
    void colourPngAndJpegResizedOrCropped() throws IOException {
        image(dir.resolve("red/a.png"), 8, 8, 0xff0000);
        image(dir.resolve("red/b.jpg"), 10, 6, 0xee0000);
        image(dir.resolve("blue/c.jpeg"), 4, 4, 0x0000ee);
        Dataset resized = create(params("size", List.of(4L), "fit", "resize", "normalize", false));
        assertThat(resized.sampleShape()).containsExactly(3, 4, 4);
        // blue is the first class (sorted), and its image is blue: the red plane is ~0, the blue one ~0.93
        float[] x = resized.inputs().data();
        assertThat(x[0]).isLessThan(0.05f);
        assertThat(x[2 * 16]).isGreaterThan(0.85f);
        image(dir.resolve("blue/c.jpeg"), 12, 12, 0x0000ee);
        assertThat(create(params("size", List.of(4L, 6L), "fit", "center-crop", "color", "grey")).sampleShape()).containsExactly(1, 4, 6);
    }

    @Test
    void subsamplesPerClassBySeed() {
        Map<String, Object> p = new HashMap<>(parameters());
        p.put("perClass", 5L);
        Dataset d = create(p);
        assertThat(d.size()).isEqualTo(10);
        assertThat(create(p).inputs().data()).isEqualTo(d.inputs().data());
    }

    @Test
    void refusesEachBadInputNamingThePath() throws IOException {
        image(dir.resolve("a/1.png"), 4, 4, 0x102030);
        refused(params(), "has 1 class folder (a); at least two are needed");
        Files.createDirectories(dir.resolve("b"));
        refused(params(), "class folder " + dir.resolve("b") + " is empty");
        image(dir.resolve("b/2.png"), 5, 4, 0x102030);
        refused(params(), dir.resolve("b/2.png") + " is 4×5 (height × width), not 4×4; set task.size, or task.fit");
        image(dir.resolve("b/2.png"), 4, 4, 0x102030);
        Files.writeString(dir.resolve("b/3.png"), "not really a png");
        refused(params(), dir.resolve("b/3.png") + " is not a readable PNG or JPEG image");
        Files.delete(dir.resolve("b/3.png"));
        Files.writeString(dir.resolve("b/notes.txt"), "x");
        refused(params(), dir.resolve("b/notes.txt") + " is not a PNG or JPEG image");
        Files.delete(dir.resolve("b/notes.txt"));
        refused(params("size", List.of(8L), "fit", "center-crop"), "smaller than the 8×8 window center-crop cuts");
        Files.writeString(dir.resolve("vars.csv"), "file,site\na/1.png,x\n");
        refused(params("variables", "vars.csv"), "vars.csv has no row for image b/2.png");
        Files.writeString(dir.resolve("vars.csv"), "file,site\na/1.png,x\nb/2.png,y\nc/9.png,y\n");
        refused(params("variables", "vars.csv"), "vars.csv line 4: no image 'c/9.png' in the class folders");
        Files.writeString(dir.resolve("vars.csv"), "name,site\na/1.png,x\n");
        refused(params("variables", "vars.csv"), "vars.csv has no 'file' column");
        refused(params("variables", "nope.csv"), "task.variables: no such file: " + dir.resolve("nope.csv"));
        refused(params("data", dir.resolve("nowhere").toString()), "task.data: no such folder");
        image(dir.resolve("loose.png"), 4, 4, 0);
        refused(params(), "loose.png: images must be inside one folder per class");
    }

    private void refused(Map<String, Object> params, String message) {
        assertThatThrownBy(() -> create(params)).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
