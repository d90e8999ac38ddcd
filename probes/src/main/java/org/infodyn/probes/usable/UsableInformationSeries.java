package org.infodyn.probes.usable;

import java.util.ArrayList;
import java.util.List;

import org.infodyn.api.probe.LabelledFeatures;
import org.infodyn.api.probe.Measurement;
import org.infodyn.api.probe.ProbeData;
import org.infodyn.api.probe.ProbeSeries;
import org.infodyn.probes.decoder.CrossEntropy;
import org.infodyn.probes.decoder.Decoder;
import org.infodyn.probes.decoder.DesignMatrix;
import org.infodyn.probes.decoder.Evaluation;
import org.infodyn.probes.decoder.LabelCounts;
import org.infodyn.probes.decoder.LinearDecoder;
import org.infodyn.probes.decoder.MlpDecoder;

/**
 * The usable-information measurements of one (layer, variable) pair. Keeps one decoder per fold
 * (for warm starts and reusable work arrays) and the series' fixed folds. Called by one thread
 * at a time, as the {@link ProbeSeries} contract promises.
 *
 * <p>Per fold: the decoder and the null model are fitted on the fold's fit samples (with the
 * standardisation learnt there) and scored on its scoring samples. With {@code train-subset} the
 * standardised features come from the {@link LayerDesigns} shared with the series of the other
 * variables of the layer. With {@code kfold} the folds are pooled: every probe sample is scored
 * once, by the decoder not fitted on it and against the null model of the same fold, so the CEs
 * and the accuracy are means over all n probe samples; {@code decoder_fit_ce_bits} is the mean
 * over all (fold, fit sample) pairs. The MLP decoders of all folds start from the same seeded
 * initialisation.
 *
 * <p>Non-finite features (NaN, ±∞) in the samples a fold uses make every decoder-dependent
 * metric NaN ({@code bits}, the decoder CEs, accuracy); {@code null_ce_bits} depends on the labels
 * only and stays finite. Such a point does not disturb the warm start of later points.
 */
final class UsableInformationSeries implements ProbeSeries {
    private final UsableInformationSettings settings;
    private final LayerDesigns layerDesigns;
    private final String layer;
    private final String name;
    private final int classes;
    private final long seed;
    private final List<Decoder> decoders = new ArrayList<>();
    private int decoderDimension = -1;
    private int foldsForSize = -1;
    private Folds folds;

    /**
     * @param layerDesigns the standardised features shared with the other series of the same
     *     configured probe (used for split {@code train-subset})
     */
    UsableInformationSeries(UsableInformationSettings settings, LayerDesigns layerDesigns, String layer,
            String variable, int classes, long seed) {
        this.settings = settings;
        this.layerDesigns = layerDesigns;
        this.layer = layer;
        this.name = layer + "/" + variable;
        this.classes = classes;
        this.seed = seed;
    }

    @Override
    public List<Measurement> measure(ProbeData data) {
        if (data.classes() != classes) {
            throw new IllegalArgumentException(name + ": series opened for " + classes + " classes, data has " + data.classes());
        }
        LabelledFeatures held = data.heldOut();
        int d = held.dimension();
        if (settings.split() == SplitMode.TRAIN_SUBSET && data.fit().dimension() != d) {
            throw new IllegalArgumentException(name + ": fit samples have " + data.fit().dimension()
                    + " features, held-out samples " + d);
        }
        if (d != decoderDimension) {
            decoders.clear(); // a different layer width cannot reuse the previous decoders
            decoderDimension = d;
        }
        Evaluation nullScore = Evaluation.EMPTY;
        Evaluation evalScore = Evaluation.EMPTY;
        Evaluation fitScore = Evaluation.EMPTY;
        boolean measurable = d > 0;
        double converged = Double.NaN;
        int iterations = 0;
        int foldCount = settings.split() == SplitMode.TRAIN_SUBSET ? 1 : folds(held.size()).size();
        for (int f = 0; f < foldCount; f++) {
            LabelledFeatures fitSource;
            int[] fitRows;
            int[] scoreRows;
            if (settings.split() == SplitMode.TRAIN_SUBSET) {
                fitSource = data.fit();
                fitRows = Folds.all(fitSource.size());
                scoreRows = Folds.all(held.size());
            } else {
                fitSource = held;
                fitRows = folds.fitRows().get(f);
                scoreRows = folds.scoreRows().get(f);
            }
            int[] yFit = labelsOf(fitSource, fitRows);
            int[] yScore = labelsOf(held, scoreRows);
            LabelCounts counts = LabelCounts.of(yFit, classes);
            LabelCounts.of(yScore, classes); // validates the scoring labels
            nullScore = nullScore.plus(CrossEntropy.nullModel(counts, yScore));
            if (!measurable || fitRows.length == 0) {
                measurable = false;
                continue;
            }
            try (LayerDesigns.Lease lease = settings.split() == SplitMode.TRAIN_SUBSET
                    ? layerDesigns.acquire(layer, fitSource.features(), held.features())
                    : LayerDesigns.unshared(settings.standardize(), fitSource.features(), fitRows, held.features(),
                            scoreRows)) {
                DesignMatrix xFit = lease.designs().fit();
                DesignMatrix xScore = lease.designs().score();
                if (!xFit.isFinite() || !xScore.isFinite()) {
                    measurable = false;
                    continue;
                }
                Decoder decoder = decoder(f, d, data);
                decoder.fit(xFit, yFit, counts);
                converged = Double.isNaN(converged) ? decoder.lastConverged() : Math.min(converged, decoder.lastConverged());
                iterations = Math.max(iterations, decoder.lastIterations());
                evalScore = evalScore.plus(decoder.evaluate(xScore, yScore));
                fitScore = fitScore.plus(decoder.evaluate(xFit, yFit));
            }
        }
        double nullBits = nullScore.meanBits();
        double evalBits = measurable ? evalScore.meanBits() : Double.NaN;
        double fitBits = measurable ? fitScore.meanBits() : Double.NaN;
        double accuracy = measurable ? evalScore.accuracy() : Double.NaN;
        return List.of(
                new Measurement(UsableInformationProbe.BITS, nullBits - evalBits),
                new Measurement(UsableInformationProbe.NULL_CE_BITS, nullBits),
                new Measurement(UsableInformationProbe.DECODER_EVAL_CE_BITS, evalBits),
                new Measurement(UsableInformationProbe.DECODER_FIT_CE_BITS, fitBits),
                new Measurement(UsableInformationProbe.DECODER_ACCURACY, accuracy),
                new Measurement(UsableInformationProbe.LOG2K, Math.log(classes) / CrossEntropy.LN2),
                new Measurement(UsableInformationProbe.DECODER_CONVERGED, measurable ? converged : Double.NaN),
                new Measurement(UsableInformationProbe.DECODER_ITERATIONS, measurable ? iterations : Double.NaN));
    }

    /** The series' folds of the probe split, drawn once per probe-split size (fixed in a run). */
    private Folds folds(int n) {
        if (n != foldsForSize) {
            folds = Folds.of(settings.split(), n, settings.folds(), seed);
            foldsForSize = n;
        }
        return folds;
    }

    private Decoder decoder(int fold, int d, ProbeData data) {
        while (decoders.size() <= fold) {
            decoders.add(switch (settings.decoder()) {
                case LINEAR -> settings.gramOnBackend()
                        ? new LinearDecoder(classes, d, settings.linear(), data.algebra().orElseThrow(() -> new IllegalArgumentException(
                                name + ": linearAlgebra is backend, and this point has no device algebra (ProbeData.algebra)")))
                        : new LinearDecoder(classes, d, settings.linear());
                case MLP -> new MlpDecoder(classes, d, settings.mlp(seed));
            });
        }
        return decoders.get(fold);
    }

    private static int[] labelsOf(LabelledFeatures source, int[] rows) {
        int[] all = source.labels();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = all[rows[i]];
        }
        return out;
    }

    @Override
    public String toString() {
        return "usable-information series " + name;
    }
}
