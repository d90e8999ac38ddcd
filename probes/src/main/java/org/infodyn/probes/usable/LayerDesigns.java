package org.infodyn.probes.usable;

import java.util.HashMap;
import java.util.Map;

import org.infodyn.api.data.FloatTensor;
import org.infodyn.probes.decoder.DesignMatrix;
import org.infodyn.probes.decoder.Standardizer;

/**
 * The standardised fit and scoring matrices of each layer's latest probe point, shared by the
 * series of all the variables probed on that layer (split {@code train-subset}, where every
 * series fits on all fit samples and scores on all held-out samples).
 *
 * <p>Why: at a probe point the runner hands the series of every variable of a layer the same
 * {@link FloatTensor} instances, and standardising them (with the column copy the decoders read)
 * costs a large share of a warm-started linear fit. Shared, it is done once per layer and point
 * instead of once per variable. The tensors' identity is the key: their arrays are read-only by
 * the {@link FloatTensor} contract, so the same instances hold the same values, and a lookup never
 * reads them. A miss only costs the recomputation, so results never depend on the cache.
 *
 * <p>Storage is recycled: when a layer moves on to its next point, the matrices of the previous
 * one are overwritten by the new ones as soon as no series holds a {@link Lease} on them. A run
 * then allocates them once per layer instead of once per point, which matters more than the
 * arithmetic: touching megabytes of fresh heap at every point costs page faults and garbage
 * collections that slow the fits and the training running beside them.
 *
 * <p>Memory: per layer, the matrices of its latest point and at most one spare set (each about
 * four times the float size of the layer's fit and held-out activations), kept while the
 * configured probe lives. Series of one layer that run at different points at the same time
 * (several probe threads) may evict each other's entry; they then recompute. Thread-safe: a
 * lookup holds the cache's lock briefly, and an entry is computed once, under its own lock, by
 * the first series that needs it.
 */
final class LayerDesigns {

    /**
     * A layer's samples at one point, standardised with the fit samples' statistics.
     *
     * @param fit the fit samples, in order
     * @param score the held-out (scoring) samples, in order
     */
    record Designs(DesignMatrix fit, DesignMatrix score) {
    }

    /** The right to read a {@link Designs} until {@link #close()}; not thread-safe. */
    interface Lease extends AutoCloseable {
        /** The designs (computed on first use). */
        Designs designs();

        /** Ends the lease: the designs must not be read any more. */
        @Override
        void close();
    }

    private final boolean standardize;
    private final Map<String, Slot> slots = new HashMap<>();

    /** @param standardize z-score the features (else they are only converted) */
    LayerDesigns(boolean standardize) {
        this.standardize = standardize;
    }

    /** Forgets every layer's designs (leases still open keep theirs until they close). */
    synchronized void clear() {
        slots.clear();
    }

    /**
     * A lease on the designs of a layer's point, all rows of both tensors: computed on the first
     * request for these tensor instances, the same objects for later ones.
     *
     * @param layer the layer's name
     * @param fitFeatures {@code [fit samples, d]}
     * @param scoreFeatures {@code [held-out samples, d]}
     */
    Lease acquire(String layer, FloatTensor fitFeatures, FloatTensor scoreFeatures) {
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(layer, l -> new Slot());
            Entry entry = slot.current;
            if (entry == null || entry.fitFeatures != fitFeatures || entry.scoreFeatures != scoreFeatures) {
                if (entry != null) {
                    entry.retired = true;
                    slot.recycleIfUnused(entry);
                }
                entry = new Entry(slot, fitFeatures, scoreFeatures);
                slot.current = entry;
            }
            entry.leases++;
            return new SharedLease(entry);
        }
    }

    /** A lease on designs computed for one caller alone (other splits: the rows differ per series). */
    static Lease unshared(boolean standardize, FloatTensor fitFeatures, int[] fitRows, FloatTensor scoreFeatures,
            int[] scoreRows) {
        Designs designs = compute(standardize, fitFeatures, fitRows, scoreFeatures, scoreRows, null);
        return new Lease() {
            @Override
            public Designs designs() {
                return designs;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Standardises the given rows of both tensors with the statistics of the fit rows (the
     * identity map when standardisation is off), in the storage of {@code recycled} where the
     * shapes match.
     */
    private static Designs compute(boolean standardize, FloatTensor fitFeatures, int[] fitRows,
            FloatTensor scoreFeatures, int[] scoreRows, Designs recycled) {
        Standardizer standardizer = standardize
                ? Standardizer.fit(fitFeatures, fitRows)
                : Standardizer.identity(fitFeatures.dim(1));
        return new Designs(standardizer.transform(fitFeatures, fitRows, recycled == null ? null : recycled.fit()),
                standardizer.transform(scoreFeatures, scoreRows, recycled == null ? null : recycled.score()));
    }

    /** One layer's latest entry and the storage of a retired one, guarded by the cache's lock. */
    private static final class Slot {
        private Entry current;
        private Designs spare;

        /** Keeps a retired entry's storage for the next point once nobody holds a lease on it. */
        void recycleIfUnused(Entry entry) {
            if (entry.retired && entry.leases == 0 && entry.designs != null) {
                spare = entry.designs;
                spare.fit().forgetDerived(); // only its arrays are reused; its row space would only hold memory
                spare.score().forgetDerived();
            }
        }
    }

    private final class Entry {
        private final Slot slot;
        private final FloatTensor fitFeatures;
        private final FloatTensor scoreFeatures;
        private int leases; // guarded by the cache's lock
        private boolean retired; // guarded by the cache's lock
        private Designs designs; // written under this entry's lock, read under the cache's lock once retired

        Entry(Slot slot, FloatTensor fitFeatures, FloatTensor scoreFeatures) {
            this.slot = slot;
            this.fitFeatures = fitFeatures;
            this.scoreFeatures = scoreFeatures;
        }

        synchronized Designs designs() {
            if (designs == null) {
                Designs storage;
                synchronized (LayerDesigns.this) {
                    storage = slot.spare;
                    slot.spare = null;
                }
                designs = compute(standardize, fitFeatures, Folds.all(fitFeatures.dim(0)), scoreFeatures,
                        Folds.all(scoreFeatures.dim(0)), storage);
            }
            return designs;
        }
    }

    private final class SharedLease implements Lease {
        private final Entry entry;
        private boolean closed;

        SharedLease(Entry entry) {
            this.entry = entry;
        }

        @Override
        public Designs designs() {
            if (closed) {
                throw new IllegalStateException("lease closed");
            }
            return entry.designs();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                synchronized (LayerDesigns.this) {
                    entry.leases--;
                    entry.slot.recycleIfUnused(entry);
                }
            }
        }
    }
}
