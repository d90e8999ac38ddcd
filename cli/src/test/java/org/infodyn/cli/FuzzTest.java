package org.infodyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Mutations of every example experiment file and of {@code --set} arguments, checked the way a
 * user meets them: each ends with exit code 0 or 2 within a time bound, and a refusal is one line
 * ({@code infodyn: error: …}), never an internal error or a stack trace. The commands run with
 * {@code --dry-run}, which checks everything a run checks (the data made, plugins bound, the memory
 * estimated, the output folder) and trains nothing. The seed is fixed so that CI is repeatable; a
 * case it finds becomes a regular test in {@link BadInputTest}.
 */
class FuzzTest {
    /** Examples, read from the repository (tests run in {@code cli/}). */
    private static final Path EXAMPLES = Path.of("..", "examples");
    /** The most one case may take; a dry run of the largest example takes well under a second. */
    private static final long LIMIT_NANOS = 20_000_000_000L;
    /** Values that have broken parsers, binders and planners. */
    private static final List<String> NASTY = List.of("0", "-1", "1e400", "-1e400", "99999999999", "1e15", "0.5", "NaN", ".nan", ".inf",
            "-.inf", "null", "~", "true", "[]", "{}", "[1, 2]", "{a: 1}", "''", "x", "0..3", "3..0", "0..99999999999", "1.5", "\"\"",
            "[100000000]", "[0]", "-0", "0x10", "1_000", "&a [*a]", "!!binary AAAA", "\t", "'a\nb'");
    private static final List<String> PATHS = List.of("seeds", "name", "backend", "device", "threads", "task.id", "task.samples",
            "task.probeFraction", "task.noise", "task.encoding", "model.id", "model.hidden", "model.activation", "train.divergence",
            "train.phases[0].lr", "train.phases[0].epochs", "train.phases[0].steps", "train.phases[0].batch", "train.phases[0].momentum",
            "train.phases[0].weightDecay", "train.phases[0].target", "train.phases[0].freshHead", "train.phases[1].lr",
            "probes[0].id", "probes[0].layers", "probes[0].variables", "probes[0].decoder", "probes[0].fitSamples", "probes[0].split",
            "probes[0].folds", "probes[0].hidden", "probes[0].steps", "probes[9].id", "schedule.steps", "schedule.every",
            "schedule.every[0].epochs", "sweep", "x.y.z", "train.phases[-1].lr", "train..lr", "[0]", "");

    private Path dir;

    @BeforeProperty
    void makeFolder() throws IOException {
        dir = Files.createTempDirectory("infodyn-fuzz");
    }

    @AfterProperty
    void removeFolder() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> examples() {
        List<Path> out = new ArrayList<>();
        for (Path folder : List.of(EXAMPLES, EXAMPLES.resolve("paper"))) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** One mutation of a text: cut a span, repeat a line, insert noise, or put a nasty value after a colon. */
    @Provide
    Arbitrary<String> mutatedExamples() {
        Arbitrary<String> original = Arbitraries.of(examples()).map(p -> {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> how = Arbitraries.integers().between(0, 4);
        Arbitrary<String> noise = Arbitraries.strings().withChars(":{}[],-#'\"&*!|>%@`\t\n ").ofMinLength(1).ofMaxLength(4)
                .injectDuplicates(0.1);
        return Combinators.combine(original, where, how, noise, Arbitraries.of(NASTY)).as((text, at, kind, junk, nasty) -> {
            int i = at % Math.max(1, text.length());
            return switch (kind) {
                case 0 -> text.substring(0, i) + text.substring(Math.min(text.length(), i + 1 + at % 40));
                case 1 -> {
                    List<String> lines = new ArrayList<>(text.lines().toList());
                    int l = at % lines.size();
                    lines.add(l, lines.get(l));
                    yield String.join("\n", lines) + "\n";
                }
                case 2 -> text.substring(0, i) + junk + text.substring(i);
                default -> {
                    int colon = text.indexOf(": ", i);
                    if (colon < 0) {
                        yield text + "\n" + nasty;
                    }
                    int end = text.indexOf('\n', colon);
                    end = end < 0 ? text.length() : end;
                    int comma = text.indexOf(',', colon);
                    int stop = comma > 0 && comma < end && kind == 4 ? comma : end;
                    yield text.substring(0, colon + 2) + nasty + text.substring(stop);
                }
            };
        });
    }

    @Provide
    Arbitrary<List<String>> overrides() {
        Arbitrary<String> one = Combinators.combine(Arbitraries.of(PATHS), Arbitraries.of(NASTY)).as((p, v) -> p + "=" + v);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 300, seed = "20261204")
    void mutatedExperimentFilesAreRunOrRefusedCleanly(@ForAll("mutatedExamples") String text) throws IOException {
        Path file = Files.writeString(dir.resolve("fuzz.yaml"), text, StandardCharsets.UTF_8);
        check(text, command(text, file, List.of()));
    }

    @Property(tries = 200, seed = "20261204")
    void overridesAreAppliedOrRefusedCleanly(@ForAll("overrides") List<String> sets) throws IOException {
        Path file = EXAMPLES.resolve("checkerboard.yaml");
        check(String.join(" ", sets), command(Files.readString(file), file, sets));
    }

    private String[] command(String text, Path file, List<String> sets) {
        List<String> args = new ArrayList<>(List.of(text.contains("\nsweep:") ? "sweep" : "run", file.toString(), "--dry-run",
                "--out", dir.resolve("out").toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    private void check(String input, String[] args) {
        long t0 = System.nanoTime();
        CliHarness.Result r = CliHarness.run(args);
        long nanos = System.nanoTime() - t0;
        String what = "input:\n" + input + "\n" + r;
        assertThat(nanos).as("took %.1f s; %s", nanos / 1e9, what).isLessThan(LIMIT_NANOS);
        assertThat(r.exitCode()).as(what).isIn(0, 2);
        assertThat(r.err()).as(what).doesNotContain("internal error").doesNotContain("\tat ").doesNotContain("Exception");
        if (r.exitCode() == 2) {
            // one refusal line; besides it only warnings about plugins and picocli's "Try … --help" hint
            List<String> errors = r.err().lines().filter(l -> !l.startsWith("infodyn: warning: ") && !l.startsWith("Try '")).toList();
            assertThat(errors).as(what).hasSize(1);
            assertThat(errors.get(0)).as(what).startsWith("infodyn: error: ");
        }
        assertThat(dir.resolve("out")).as("a dry run writes nothing; " + what).doesNotExist();
    }
}
