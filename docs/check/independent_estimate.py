#!/usr/bin/env python3
"""An independent check of infodyn's linear usable-information estimate, with scikit-learn.

    python3 docs/check/independent_estimate.py RUN_DIR [--tolerance 0.01] [--probe usable-information]

Reads the activations a run saved (experiment block `activations:`, files RUN_DIR/activations/
step-N.npz), fits scikit-learn's LogisticRegression on each saved layer for each variable the
probe measured, and compares its usable information with the `bits` infodyn wrote to
RUN_DIR/metrics.csv at the same step, layer and variable. Nothing of infodyn's code is used:
the same *definition* (docs/DESIGN.md §5) is computed from scratch:

  - decoder: multinomial logistic regression on the fit rows (split == 0), features z-scored with
    the fit rows' mean and population sd (sd < 1e-8: the feature is set to 0), objective
    mean CE (nats) + l2/2·‖W‖², bias not penalised  →  sklearn C = 1 / (l2 · n_fit);
  - CE_decoder: mean −log2 p(y|z) over the held-out rows (split == 1);
  - CE_null: mean −log2 (c_y + 1) / (n_fit + K), the add-one smoothed class frequencies of the
    fit rows, K = the variable's classes (the manifest's dataset.class_names);
  - usable information = CE_null − CE_decoder.

Only the probe's linear settings are supported (decoder: linear, split: train-subset); layers
measured through a reduction are skipped (the file holds the whole layer). Exit status: 0 when
every estimate agrees within the tolerance, 1 when one does not, 2 for a usage error.
"""
import argparse
import csv
import glob
import json
import math
import os
import re
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression


def usable_information(z_fit, y_fit, z_held, y_held, classes, l2):
    mean = z_fit.mean(axis=0)
    sd = z_fit.std(axis=0)
    scale = np.where(sd < 1e-8, 0.0, 1.0 / np.where(sd < 1e-8, 1.0, sd))
    a = (z_fit - mean) * scale
    b = (z_held - mean) * scale
    n = len(y_fit)
    counts = np.bincount(y_fit, minlength=classes)
    null_bits = -np.mean(np.log2((counts[y_held] + 1.0) / (n + classes)))
    present = np.unique(y_fit)
    if len(present) < 2:
        return null_bits - null_bits
    model = LogisticRegression(C=1.0 / (l2 * n), multi_class="multinomial", solver="lbfgs", tol=1e-12, max_iter=100000)
    model.fit(a, y_fit)
    proba = model.predict_proba(b)
    # classes absent from the fit rows: probability 1/(n+K) (as infodyn's decoders give them), the rest renormalised
    absent = classes - len(present)
    p = np.full(len(y_held), 1.0 / (n + classes))
    column = {c: i for i, c in enumerate(model.classes_)}
    for r, y in enumerate(y_held):
        if y in column:
            p[r] = proba[r, column[y]] * (1.0 - absent / (n + classes))
    dec_bits = -np.mean(np.log2(p))
    return null_bits - dec_bits


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir")
    ap.add_argument("--tolerance", type=float, default=0.01)
    ap.add_argument("--probe", default="usable-information", help="the probe's label in metrics.csv")
    args = ap.parse_args()
    manifest_path = os.path.join(args.run_dir, "manifest.json")
    files = sorted(glob.glob(os.path.join(args.run_dir, "activations", "step-*.npz")))
    if not os.path.isfile(manifest_path) or not files:
        print(f"{args.run_dir}: expected manifest.json and activations/step-*.npz (run with an 'activations:' block)", file=sys.stderr)
        return 2
    manifest = json.load(open(manifest_path))
    probe = next((p for p in manifest["experiment"]["probes"] if p["label"] == args.probe), None)
    if probe is None or probe["decoder"] != "linear" or probe["split"] != "train-subset":
        print(f"probe '{args.probe}' must exist and be linear with split train-subset", file=sys.stderr)
        return 2
    class_names = manifest["dataset"]["class_names"]
    metrics = {}
    metrics_file = os.path.join(args.run_dir, "metrics.csv")
    for row in csv.DictReader(open(metrics_file)):
        if row["probe"] == args.probe and row["metric"] == "bits":
            metrics[(int(row["step"]), row["layer"], row["variable"])] = float(row["value"])
    worst = 0.0
    print(f"{'step':>6} {'layer':<14} {'variable':<12} {'infodyn':>9} {'sklearn':>9} {'diff':>9}")
    for f in files:
        step = int(re.search(r"step-(\d+)\.npz$", f).group(1))
        data = np.load(f)
        fit = data["split"] == 0
        held = data["split"] == 1
        for key in data.files:
            if not key.startswith("act_"):
                continue
            layer = key[4:]
            if layer not in probe["layers"] or not probe["reductions"][layer].startswith("none"):
                continue  # not this probe's, or measured through a reduction: the file holds the whole layer
            z = data[key].reshape(len(data["split"]), -1).astype(np.float64)
            for variable in probe["variables"]:
                y = data["label_" + variable]
                ours = usable_information(z[fit], y[fit], z[held], y[held], len(class_names[variable]), probe["l2"])
                theirs = metrics.get((step, layer, variable))
                if theirs is None:
                    continue
                diff = ours - theirs
                worst = max(worst, abs(diff))
                print(f"{step:>6} {layer:<14} {variable:<12} {theirs:>9.5f} {ours:>9.5f} {diff:>+9.5f}")
    verdict = "AGREE" if worst <= args.tolerance else "DISAGREE"
    print(f"largest difference {worst:.2e} bits (tolerance {args.tolerance}): {verdict}")
    return 0 if verdict == "AGREE" else 1


if __name__ == "__main__":
    sys.exit(main())
