package org.infodyn.engine.run;

import java.util.List;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BackendInfo;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.DeviceAlgebra;
import org.infodyn.api.backend.Model;
import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;
import org.infodyn.api.data.FloatTensor;
import org.infodyn.api.data.Splits;
import org.infodyn.api.data.Variable;
import org.infodyn.api.model.ModelSpec;
import org.infodyn.api.model.Parameters;
import org.infodyn.api.probe.ConfiguredProbe;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.api.random.Rng;
import org.infodyn.api.random.Seeds;
import org.infodyn.api.task.Task;
import org.infodyn.testkit.ReferenceAlgebra;
import org.infodyn.testkit.ReferenceBackend;

/** Small plugins for testing the run loop without the built-in modules. */
final class Fakes {
    private Fakes() {
    }

    /** Gaussian points; {@code sign} (2 classes) is the sign of the first coordinate, {@code tri} (3 classes) is random. */
    static final class BlobsTask implements Task {
        @Override
        public String id() {
            return "blobs";
        }

        @Override
        public String description() {
            return "test blobs";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("samples", 200, "n").atLeast(10), ParamSpec.integer("dims", 4, "d").atLeast(1));
        }

        @Override
        public Dataset create(Params p, long seed) {
            int n = p.getInt("samples");
            int d = p.getInt("dims");
            Rng rng = new Rng(seed);
            float[] x = new float[n * d];
            int[] sign = new int[n];
            int[] tri = new int[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) rng.nextGaussian();
                }
                sign[i] = x[i * d] > 0 ? 1 : 0;
                tri[i] = rng.nextInt(3);
            }
            int[][] split = Splits.holdOut(n, 0.25, Seeds.rng(seed, "split"));
            return new Dataset(id(), FloatTensor.batch(n, new int[] {d}, x),
                    List.of(new Variable("sign", 2, sign, List.of("neg", "pos"), "sign of x0"),
                            new Variable("tri", 3, tri, List.of("a", "b", "c"), "random")),
                    "sign", split[0], split[1]);
        }
    }

    /**
     * The reference backend with {@link DeviceAlgebra} on the CPU (plain double loops): what a run
     * hands probes that ask for it.
     */
    static final class ReferenceWithAlgebra implements Backend {
        private final ReferenceBackend reference = new ReferenceBackend();

        @Override
        public String id() {
            return "reference-algebra";
        }

        @Override
        public String displayName() {
            return "reference backend with device algebra";
        }

        @Override
        public int priority() {
            return reference.priority();
        }

        @Override
        public Availability availability() {
            return reference.availability();
        }

        @Override
        public BackendInfo describe() {
            return reference.describe();
        }

        @Override
        public Model build(ModelSpec spec, Parameters initial, BuildOptions options) {
            return reference.build(spec, initial, options);
        }

        @Override
        public java.util.Optional<DeviceAlgebra> algebra(BuildOptions options) {
            return java.util.Optional.of(new ReferenceAlgebra());
        }
    }

    /**
     * Writes the mean activation of the held-out samples ({@code mean}), the number of fit
     * samples ({@code fit_n}), a running count of calls ({@code calls}) and whether the point
     * carried device algebra ({@code algebra}, asked for with {@code algebra: device}); fails
     * at a chosen step.
     */
    static final class MeanProbe implements Probe {
        @Override
        public String id() {
            return "mean";
        }

        @Override
        public String description() {
            return "test probe";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.integer("fitSamples", 50, "fit n").atLeast(0), ParamSpec.integer("failAt", -1, "step to fail at"),
                    ParamSpec.choice("algebra", "none", List.of("none", "device"), "device: ask for the backend's device algebra"));
        }

        @Override
        public List<String> metrics() {
            return List.of("mean", "fit_n", "calls", "algebra");
        }

        @Override
        public ConfiguredProbe configure(Params params) {
            return new ConfiguredProbe() {
                @Override
                public Params params() {
                    return params;
                }

                @Override
                public int fitSamples() {
                    return params.getInt("fitSamples");
                }

                @Override
                public java.util.Optional<String> deviceAlgebraSetting() {
                    return params.getString("algebra").equals("device") ? java.util.Optional.of("algebra") : java.util.Optional.empty();
                }

                @Override
                public ProbeSeries open(String layer, String variableName, int classes, long seed) {
                    int[] calls = {0};
                    return data -> {
                        if (data.step() == params.getLong("failAt")) {
                            throw new IllegalStateException("probe told to fail at step " + data.step());
                        }
                        calls[0]++;
                        double sum = 0;
                        for (float v : data.heldOut().features().data()) {
                            sum += v;
                        }
                        return List.of(new Measurement("mean", sum / data.heldOut().features().data().length),
                                new Measurement("fit_n", data.fit().size()), new Measurement("calls", calls[0]),
                                new Measurement("algebra", data.algebra().isPresent() ? 1 : 0));
                    };
                }
            };
        }
    }
}
