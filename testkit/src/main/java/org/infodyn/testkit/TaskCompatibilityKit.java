package org.infodyn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.infodyn.api.config.ConfigException;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.Variable;
import org.infodyn.api.task.Task;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Task} must meet, as an abstract JUnit 5 class: subclass it and supply
 * {@link #task()} (and {@link #parameters()} when the defaults are large or need a data folder).
 * It checks seeded reproducibility, split disjointness, variables and their class counts, finite
 * inputs, strict parameters and thread safety.
 */
public abstract class TaskCompatibilityKit {

    /** The task under test. */
    protected abstract Task task();

    /**
     * Parameters for a small, quick dataset (a few hundred to a few thousand samples), including
     * any required ones such as a data folder. Default: the task's defaults.
     */
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    /**
     * Whether the implementation is a plugin that infodyn should find (default: true). A test
     * double or an oracle that is deliberately not registered returns false, and the
     * registration check is skipped.
     */
    protected boolean registeredAsPlugin() {
        return true;
    }

    /**
     * The implementation is registered both ways: a {@code META-INF/services/org.infodyn.api.task.Task} line (the
     * class path, which {@code ./infodyn} uses) and, when its jar has a {@code module-info}, a
     * {@code provides} clause (the module path). A plugin registered one way only passes its own
     * tests and is then invisible to one of them; the message names the missing line.
     */
    @Test
    void isRegisteredBothWays() {
        Assumptions.assumeThat(registeredAsPlugin()).as("registeredAsPlugin() says this implementation is not a plugin").isTrue();
        Registration.assertRegistered(Task.class, task().getClass());
    }

    private Params params() {
        return Params.bind("task", parameters(), task().parameters());
    }

    private Dataset create(long seed) {
        return task().create(params(), seed);
    }

    @Test
    void describesItselfAndItsParameters() {
        Task t = task();
        assertThat(t.id()).matches("[a-z0-9][a-z0-9-]*");
        assertThat(t.description()).isNotBlank();
        Set<String> names = new HashSet<>();
        for (ParamSpec p : t.parameters()) {
            assertThat(names.add(p.name())).as("parameter %s declared once", p.name()).isTrue();
            assertThat(p.description()).as(p.name()).isNotBlank();
        }
    }

    @Test
    void theSameSeedGivesTheSameDatasetBitForBit() {
        Dataset a = create(7);
        Dataset b = create(7);
        assertThat(a.inputs().shape()).containsExactly(b.inputs().shape());
        assertThat(a.inputs().data()).isEqualTo(b.inputs().data());
        assertThat(a.trainIndices()).isEqualTo(b.trainIndices());
        assertThat(a.probeIndices()).isEqualTo(b.probeIndices());
        assertThat(a.variables()).isEqualTo(b.variables());
    }

    @Test
    void anotherSeedGivesAnotherDrawOrSplit() {
        Dataset a = create(7);
        Dataset c = create(8);
        boolean differs = !Arrays.equals(a.inputs().data(), c.inputs().data()) || !Arrays.equals(a.trainIndices(), c.trainIndices());
        assertThat(differs).as("seed 7 and seed 8 give identical data and splits").isTrue();
    }

    @Test
    void splitsAreDisjointNonEmptyAndInRange() {
        Dataset d = create(1);
        BitSet seen = new BitSet(d.size());
        for (int[] split : List.of(d.trainIndices(), d.probeIndices())) {
            assertThat(split).isNotEmpty();
            for (int i : split) {
                assertThat(i).isBetween(0, d.size() - 1);
                assertThat(seen.get(i)).as("sample %d in two splits", i).isFalse();
                seen.set(i);
            }
        }
    }

    @Test
    void variablesHaveAtLeastTwoClassesAndTheTargetIsLearnable() {
        Dataset d = create(2);
        assertThat(d.variables()).isNotEmpty().containsKey(d.defaultTarget());
        for (Variable v : d.variables().values()) {
            assertThat(v.name()).matches("[A-Za-z0-9_.-]+");
            assertThat(v.classes()).isGreaterThanOrEqualTo(2);
            assertThat(v.labels()).hasSize(d.size());
        }
        Variable target = d.variable(d.defaultTarget()).orElseThrow();
        Set<Integer> seen = new HashSet<>();
        for (int i : d.trainIndices()) {
            seen.add(target.labels()[i]);
        }
        assertThat(seen).as("classes of the target present in the train split").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void inputsAreFinite() {
        Dataset d = create(3);
        float[] x = d.inputs().data();
        for (int i = 0; i < x.length; i++) {
            assertThat(Float.isFinite(x[i])).as("input value %d is %s", i, x[i]).isTrue();
        }
    }

    @Test
    void anUnknownParameterIsRefusedByName() {
        Map<String, Object> bad = new HashMap<>(parameters());
        bad.put("noSuchParameter", 1L);
        assertThatThrownBy(() -> Params.bind("task", bad, task().parameters())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("noSuchParameter");
    }

    @Test
    void creationIsThreadSafe() throws Exception {
        Dataset sequential = create(5);
        var a = CompletableFuture.supplyAsync(() -> create(5));
        var b = CompletableFuture.supplyAsync(() -> create(5));
        assertThat(a.get().inputs().data()).isEqualTo(sequential.inputs().data());
        assertThat(b.get().variables()).isEqualTo(sequential.variables());
    }
}
