#!/usr/bin/env python3
"""Markdown tables of peak / final / drop usable information from sweeps' extremes.csv.

    docs/reproduction/tables.py SWEEP_DIR [--layers hidden3] [--variables color,direction]

One row per condition, layer and variable: mean over seeds with the 95 % confidence interval of
the mean (t-based, as infodyn writes it), n seeds, and the median epoch of the peak. Used to
write docs/REPRODUCTION.md from the sweeps docs/reproduction/regenerate.sh runs. Standard
library only.
"""
import argparse
import csv
import pathlib


def fmt(row, key):
    m, lo, hi = (float(row[f"{key}_{s}"]) for s in ("mean", "ci_low", "ci_high"))
    return f"{m:.2f} [{lo:.2f}, {hi:.2f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep", type=pathlib.Path)
    ap.add_argument("--layers", default=None, help="comma-separated layers to keep (default: all)")
    ap.add_argument("--variables", default=None, help="comma-separated variables to keep (default: all)")
    ap.add_argument("--probe", default=None, help="probe id to keep (default: all)")
    a = ap.parse_args()
    keep_layers = set(a.layers.split(",")) if a.layers else None
    keep_vars = set(a.variables.split(",")) if a.variables else None
    with open(a.sweep / "extremes.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    probes = {r["probe"] for r in rows}
    print(f"| condition | {'probe | ' if len(probes) > 1 else ''}layer | variable | peak (bits) | final (bits) "
          f"| drop = peak − final | peak epoch (median) | n |")
    print(f"|---|{'---|' if len(probes) > 1 else ''}---|---|---|---|---|---|---|")
    for r in rows:
        if keep_layers and r["layer"] not in keep_layers or keep_vars and r["variable"] not in keep_vars:
            continue
        if a.probe and r["probe"] != a.probe:
            continue
        probe = f"{r['probe']} | " if len(probes) > 1 else ""
        print(f"| {r['condition']} | {probe}{r['layer']} | {r['variable']} | {fmt(r, 'peak')} | {fmt(r, 'final')} "
              f"| {fmt(r, 'drop')} | {float(r['peak_epoch_median']):.2f} | {r['n']} |")


if __name__ == "__main__":
    main()
