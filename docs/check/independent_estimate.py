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

    python3 docs/check/independent_estimate.py RUN_DIR --mlp-probe LABEL [--mlp-seeds 5]

also reads the same files with two independent MLP decoders and prints them beside the bits of
infodyn's `mlp` probe LABEL (same hidden units, steps, learning rate, weight decay, standardisation;
one hidden layer):

  - PyTorch (when importable): the estimator of infodyn's MlpDecoder written in PyTorch, Linear →
    ReLU → Linear on the present classes, torch.nn.Linear's default initialisation from
    torch.manual_seed(s), torch.optim.Adam(lr, weight_decay=l2), `steps` full-batch steps on the
    mean cross-entropy; mean and sd over --mlp-seeds initialisations (the decoder's own variance);
  - scikit-learn's MLPClassifier: solver adam, batch = all fit rows, the same steps and learning
    rate, alpha = l2 · n_fit (its penalty is alpha/(2n)·‖W‖², weights only; PyTorch's weight decay
    also decays biases), its own (Glorot) initialisation, no early stopping.

No agreement is required of the MLP estimates (a non-convex fit with a fixed budget: different
initialisation draws give different numbers); the columns show how far apart they are.
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
    a, b = standardize(z_fit, z_held)
    present = np.unique(y_fit)
    if len(present) < 2:
        return 0.0
    model = LogisticRegression(C=1.0 / (l2 * len(y_fit)), multi_class="multinomial", solver="lbfgs", tol=1e-12, max_iter=100000)
    model.fit(a, y_fit)
    # classes absent from the fit rows: probability 1/(n+K) (as infodyn's decoders give them), the rest renormalised
    return bits_from_proba(model.predict_proba(b), model.classes_, y_fit, y_held, classes)


def standardize(z_fit, z_held):
    mean = z_fit.mean(axis=0)
    sd = z_fit.std(axis=0)
    scale = np.where(sd < 1e-8, 0.0, 1.0 / np.where(sd < 1e-8, 1.0, sd))
    return (z_fit - mean) * scale, (z_held - mean) * scale


def bits_from_proba(proba_present, present, y_fit, y_held, classes):
    """CE_null − CE_decoder (bits) from the decoder's probabilities over the classes present in the fit rows."""
    n = len(y_fit)
    counts = np.bincount(y_fit, minlength=classes)
    null_bits = -np.mean(np.log2((counts[y_held] + 1.0) / (n + classes)))
    absent = classes - len(present)
    column = {c: i for i, c in enumerate(present)}
    p = np.full(len(y_held), 1.0 / (n + classes))
    for r, y in enumerate(y_held):
        if y in column:
            p[r] = proba_present[r, column[y]] * (1.0 - absent / (n + classes))
    return null_bits + np.mean(np.log2(p))


def mlp_torch(z_fit, y_fit, z_held, y_held, classes, hidden, steps, lr, l2, seed, standardized=True):
    """infodyn's MLP estimator re-written in PyTorch (see the module docstring); None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    if standardized:
        z_fit, z_held = standardize(z_fit, z_held)
    present = np.unique(y_fit)
    if len(present) < 2:
        return 0.0
    index = {c: i for i, c in enumerate(present)}
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(z_fit.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, len(present)))
    opt = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=l2)
    x = torch.tensor(z_fit, dtype=torch.float32)
    t = torch.tensor([index[y] for y in y_fit])
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), t)
        loss.backward()
        opt.step()
    with torch.no_grad():
        proba = torch.softmax(net(torch.tensor(z_held, dtype=torch.float32)).double(), dim=1).numpy()
    return bits_from_proba(proba, present, y_fit, y_held, classes)


def mlp_sklearn(z_fit, y_fit, z_held, y_held, classes, hidden, steps, lr, l2, seed, standardized=True):
    """scikit-learn's MLPClassifier with the closest settings it has (see the module docstring)."""
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    if standardized:
        z_fit, z_held = standardize(z_fit, z_held)
    present = np.unique(y_fit)
    if len(present) < 2:
        return 0.0
    n = len(y_fit)
    model = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="adam", alpha=l2 * n, batch_size=n,
                          learning_rate_init=lr, max_iter=steps, tol=0.0, n_iter_no_change=steps + 1, shuffle=False,
                          random_state=seed, early_stopping=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(z_fit, y_fit)
    return bits_from_proba(model.predict_proba(z_held), model.classes_, y_fit, y_held, classes)


def compare_mlp(args, manifest, files, class_names):
    probe = next((p for p in manifest["experiment"]["probes"] if p["label"] == args.mlp_probe), None)
    if probe is None or probe["decoder"] != "mlp" or probe["split"] != "train-subset" or probe.get("hiddenLayers", 1) != 1:
        print(f"probe '{args.mlp_probe}' must exist and be an mlp with one hidden layer and split train-subset", file=sys.stderr)
        return 2
    ours = {}
    for row in csv.DictReader(open(os.path.join(args.run_dir, "metrics.csv"))):
        if row["probe"] == args.mlp_probe and row["metric"] == "bits":
            ours[(int(row["step"]), row["layer"], row["variable"])] = float(row["value"])
    settings = dict(hidden=probe["hidden"], steps=probe["steps"], lr=probe["learningRate"], l2=probe["l2"],
                    standardized=probe["standardize"])
    print(f"\nMLP decoders (probe '{args.mlp_probe}': {probe['hidden']} ReLU units, {probe['steps']} Adam steps, "
          f"lr {probe['learningRate']}, weight decay {probe['l2']}); PyTorch over {args.mlp_seeds} initialisations")
    print(f"{'step':>6} {'layer':<14} {'variable':<12} {'infodyn':>9} {'torch mean':>10} {'torch sd':>9} {'sklearn':>9}")
    for f in files:
        step = int(re.search(r"step-(\d+)\.npz$", f).group(1))
        data = np.load(f)
        fit = data["split"] == 0
        held = data["split"] == 1
        for layer in probe["layers"]:
            if "act_" + layer not in data.files or not probe["reductions"][layer].startswith("none"):
                continue
            z = data["act_" + layer].reshape(len(data["split"]), -1).astype(np.float64)
            for variable in probe["variables"]:
                y = data["label_" + variable]
                k = len(class_names[variable])
                torch_bits = [mlp_torch(z[fit], y[fit], z[held], y[held], k, seed=s, **settings) for s in range(args.mlp_seeds)]
                sk = mlp_sklearn(z[fit], y[fit], z[held], y[held], k, seed=0, **settings)
                theirs = ours.get((step, layer, variable), float("nan"))
                if torch_bits[0] is None:
                    mean = sd = float("nan")
                else:
                    mean, sd = float(np.mean(torch_bits)), float(np.std(torch_bits, ddof=1)) if len(torch_bits) > 1 else 0.0
                print(f"{step:>6} {layer:<14} {variable:<12} {theirs:>9.4f} {mean:>10.4f} {sd:>9.4f} {sk:>9.4f}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir")
    ap.add_argument("--tolerance", type=float, default=0.01)
    ap.add_argument("--probe", default="usable-information", help="the probe's label in metrics.csv")
    ap.add_argument("--mlp-probe", help="also compare this mlp probe with PyTorch and scikit-learn MLP decoders")
    ap.add_argument("--mlp-seeds", type=int, default=5, help="PyTorch MLP initialisations per estimate")
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
    if args.mlp_probe and compare_mlp(args, manifest, files, class_names) != 0:
        return 2
    return 0 if verdict == "AGREE" else 1


if __name__ == "__main__":
    sys.exit(main())
