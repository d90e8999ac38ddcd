#!/usr/bin/env python3
"""The Fisher figure and numbers of docs/REPRODUCTION.md, from a sweep of checkerboard-fisher.yaml.

    python3 docs/reproduction/fisher.py SWEEP_DIR [--out DIR]

Reads SWEEP_DIR/runs/*/metrics.csv (standard library only); prints per seed the epoch and value of
the Fisher trace's peak and of the colour's peak in hidden3, and the trace at the end over its
peak; writes fisher.svg (two panels on one epoch axis, square-root scale: the Fisher trace of the
whole network and the colour in hidden3; one thin line per seed, the median thick) into --out
(default: docs/reproduction/checkerboard-fisher).
"""
import argparse
import csv
import glob
import math
import os
import statistics


def series(run_dir, probe, layer, variable, metric):
    out = []
    for r in csv.DictReader(open(os.path.join(run_dir, "metrics.csv"))):
        if (r["probe"], r["layer"], r["variable"], r["metric"]) == (probe, layer, variable, metric) and r["value"]:
            out.append((float(r["epoch"]), float(r["value"])))
    return sorted(out)


def panel(out, y0, height, title, runs, ylabel, width, left, right, xmax):
    top = max(v for s in runs for _, v in s) * 1.05
    x = lambda e: left + math.sqrt(e / xmax) * (width - left - right)
    y = lambda v: y0 + (1 - v / top) * height
    out.append(f'<text x="{left}" y="{y0 - 6}" font-size="12">{title}</text>')
    for k in range(5):
        v = top * k / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
                   f'<text x="{left - 5}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3g}</text>')
    out.append(f'<text x="12" y="{y0 + height / 2}" transform="rotate(-90 12 {y0 + height / 2})" text-anchor="middle">{ylabel}</text>')
    for s in runs:
        out.append('<polyline fill="none" stroke="#9ab" stroke-width="1" points="'
                   + " ".join(f"{x(e):.1f},{y(v):.1f}" for e, v in s) + '"/>')
    epochs = [e for e, _ in runs[0]]
    med = [(e, statistics.median(s[i][1] for s in runs)) for i, e in enumerate(epochs)]
    out.append('<polyline fill="none" stroke="#c33" stroke-width="2.5" points="' + " ".join(f"{x(e):.1f},{y(v):.1f}" for e, v in med) + '"/>')
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkerboard-fisher"))
    args = ap.parse_args()
    runs = sorted(glob.glob(os.path.join(args.sweep, "runs", "*")), key=lambda p: int(p.rsplit("seed", 1)[1]))
    fisher = [series(r, "fisher", "output", "", "trace_total") for r in runs]
    colour = [series(r, "usable-information", "hidden3", "color", "bits") for r in runs]
    print("| seed | Fisher peak: epoch | trace | end / peak | colour peak: epoch | bits | colour at the end |\n|---|---|---|---|---|---|---|")
    for r, f, c in zip(runs, fisher, colour):
        fp = max(f, key=lambda p: p[1])
        cp = max(c, key=lambda p: p[1])
        print(f"| {r.rsplit('seed', 1)[1]} | {fp[0]:.2f} | {fp[1]:.1f} | {f[-1][1] / fp[1]:.2f} | {cp[0]:.2f} | {cp[1]:.2f} | {c[-1][1]:.2f} |")
    w, left, right = 640, 60, 20
    xmax = max(e for e, _ in fisher[0])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} 470" width="{w}" height="470" '
           'font-family="Helvetica, Arial, sans-serif" font-size="11">', f'<rect width="{w}" height="470" fill="#fff"/>',
           f'<text x="{w / 2}" y="16" text-anchor="middle" font-size="13">main job: Fisher trace and colour in hidden3 ({len(runs)} seeds; red: median)</text>']
    x = panel(out, 45, 160, "trace of the Fisher information, whole network", fisher, "tr F", w, left, right, xmax)
    panel(out, 255, 160, "colour in hidden3, linear decoder (bits)", colour, "bits", w, left, right, xmax)
    for e in [0, 0.25, 1, 2, 3, 5, 10, 20, 30]:
        if e <= xmax:
            out.append(f'<line x1="{x(e):.1f}" x2="{x(e):.1f}" y1="45" y2="415" stroke="#ddd" stroke-dasharray="3,3"/>'
                       f'<text x="{x(e):.1f}" y="432" text-anchor="middle">{e:g}</text>')
    out.append(f'<text x="{w / 2}" y="455" text-anchor="middle">epoch (square-root scale)</text></svg>')
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "fisher.svg"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
