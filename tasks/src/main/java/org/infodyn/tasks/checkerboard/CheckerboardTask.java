package org.infodyn.tasks.checkerboard;

import java.util.Arrays;
import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.data.Variable;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;

/**
 * The checkerboard task of Kleinman, Achille, Idnani &amp; Kao (ICLR 2021), after the primate
 * decision task of Chandrasekaran et al.: a 15×15 board of red and green squares and two
 * targets, one red and one green; the subject reaches to the target whose colour is the board's
 * dominant colour.
 *
 * <p>Per sample: a red count R drawn uniformly from {@link #RED_COUNTS} (of 225 squares; none is
 * 112.5, so the dominant colour is always defined and balanced), and a target configuration
 * (left target red or green), a fair coin. Variables:
 * <ul>
 *   <li>{@code direction} (the training target): 0 = left, 1 = right — the side whose target has
 *       the dominant colour;
 *   <li>{@code color}: dominant colour, 0 = red (R &gt; 112), 1 = green;
 *   <li>{@code config}: 0 = left target red (right green), 1 = left target green (right red);
 *   <li>{@code coherence}: which of the 14 red counts (0 = 11 … 13 = 214).
 * </ul>
 * {@code color} and {@code config} are independent balanced bits and {@code direction} is their
 * XOR, so a network can solve the task while discarding colour and configuration.
 *
 * <p>Encodings ({@code encoding}):
 * <ul>
 *   <li>{@code grid} (default): the 225 squares, +1 red / −1 green, the R red squares at uniformly
 *       random positions (row-major), followed by the left and right target colours (−1 red,
 *       +1 green): 227 inputs. {@code noise} is the probability that each square's colour is
 *       flipped after placement (the labels keep the true R).
 *   <li>{@code image}: the board as an image for convolutional models, {@code [3, 15, 15]}:
 *       channel 0 is the board (+1 red, −1 green, row-major as in {@code grid}); channels 1 and 2
 *       are constant planes holding the left and right target colours (−1 red, +1 green), so
 *       that every position of a convolution sees the targets. {@code noise} as for {@code grid}.
 *   <li>{@code scalars}: the paper's description: red coherence {@code 2R/225 − 1}, green
 *       coherence (its negative), left and right target colours (−1 red, +1 green): 4 inputs.
 *       {@code noise} is the standard deviation of Gaussian noise added independently to each
 *       coherence.
 * </ul>
 *
 * <p>Random numbers: per sample, in order, the red-count index, the configuration, then (grid)
 * a permutation of the 225 squares whose first R are red, then (noise) the flips or the two
 * Gaussian draws — all from {@code Rng(seed)}. The train / probe split uses
 * {@code Seeds.derive(seed, "split")}.
 */
public final class CheckerboardTask implements Task {
    /** The red counts of the original task, of 225 squares. */
    public static final int[] RED_COUNTS = {11, 45, 67, 78, 90, 101, 108, 117, 124, 135, 147, 158, 180, 214};
    /** Squares on each side of the board. */
    public static final int SIDE = 15;
    /** Squares on the board. */
    public static final int SQUARES = SIDE * SIDE;

    private static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.choice("encoding", "grid", List.of("grid", "image", "scalars"),
                    "grid: 225 squares + 2 target colours; image: [3, 15, 15] board + 2 target-colour planes; scalars: red/green coherence + 2 target colours"),
            ParamSpec.integer("samples", 10_000, "number of samples (train + probe)").atLeast(10).atMost(10_000_000),
            ParamSpec.decimal("probeFraction", 0.1, "fraction held out as the probe split").atLeast(0.001).atMost(0.9),
            ParamSpec.decimal("noise", 0.0, "grid: probability of flipping each square; scalars: sd of Gaussian noise on each coherence").atLeast(0));

    @Override
    public String id() {
        return "checkerboard";
    }

    @Override
    public String description() {
        return "checkerboard decision task (Kleinman et al. 2021): target direction; variables direction, color, config, coherence";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PARAMS;
    }

    @Override
    public Dataset create(Params params, long seed) {
        String encoding = params.getString("encoding");
        int n = params.getInt("samples");
        double noise = params.getDouble("noise");
        boolean image = encoding.equals("image");
        boolean grid = encoding.equals("grid") || image;
        params.require(!grid || noise <= 0.5, "noise", "for the " + encoding + " encoding noise is a flip probability in [0, 0.5], got " + noise);

        int width = image ? 3 * SQUARES : grid ? SQUARES + 2 : 4;
        float[] x = new float[n * width];
        int[] direction = new int[n];
        int[] color = new int[n];
        int[] config = new int[n];
        int[] coherence = new int[n];
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) {
            int level = rng.nextInt(RED_COUNTS.length);
            int red = RED_COUNTS[level];
            int cfg = rng.nextInt(2);
            int col = 2 * red > SQUARES ? 0 : 1;
            coherence[i] = level;
            config[i] = cfg;
            color[i] = col;
            direction[i] = col ^ cfg;
            // target colours: −1 red, +1 green; config 0 = left red
            float left = cfg == 0 ? -1f : 1f;
            float right = -left;
            int base = i * width;
            if (grid) {
                int[] perm = rng.permutation(SQUARES);
                for (int s = 0; s < SQUARES; s++) {
                    x[base + perm[s]] = s < red ? 1f : -1f;
                }
                if (noise > 0) {
                    for (int s = 0; s < SQUARES; s++) {
                        if (rng.nextBoolean(noise)) {
                            x[base + s] = -x[base + s];
                        }
                    }
                }
                if (image) {
                    Arrays.fill(x, base + SQUARES, base + 2 * SQUARES, left);
                    Arrays.fill(x, base + 2 * SQUARES, base + 3 * SQUARES, right);
                } else {
                    x[base + SQUARES] = left;
                    x[base + SQUARES + 1] = right;
                }
            } else {
                double redCoherence = 2.0 * red / SQUARES - 1.0;
                double greenCoherence = -redCoherence;
                if (noise > 0) {
                    redCoherence += noise * rng.nextGaussian();
                    greenCoherence += noise * rng.nextGaussian();
                }
                x[base] = (float) redCoherence;
                x[base + 1] = (float) greenCoherence;
                x[base + 2] = left;
                x[base + 3] = right;
            }
        }
        int[][] split = Splits.holdOut(n, params.getDouble("probeFraction"), Seeds.rng(seed, "split"));
        List<String> levels = Arrays.stream(RED_COUNTS).mapToObj(r -> "R" + r).toList();
        List<Variable> vars = List.of(
                new Variable("direction", 2, direction, List.of("left", "right"), "side of the target with the dominant colour (the training target)"),
                new Variable("color", 2, color, List.of("red", "green"), "dominant colour of the board"),
                new Variable("config", 2, config, List.of("left-red", "left-green"), "which side the red target is on"),
                new Variable("coherence", RED_COUNTS.length, coherence, levels, "number of red squares (14 levels)"));
        int[] shape = image ? new int[] {3, SIDE, SIDE} : new int[] {width};
        return new Dataset(id(), FloatTensor.batch(n, shape, x), vars, "direction", split[0], split[1]);
    }
}
