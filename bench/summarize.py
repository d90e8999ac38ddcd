#!/usr/bin/env python3
"""Summarises an interleaved `bench/run.sh --images` result folder.

    python3 bench/summarize.py OUT_DIR BACKEND...

Reads OUT_DIR/r<round>-<contender>-<model>.json (one process each) and prints, per model, every
contender's images/s as the median and range over its processes, and each backend's ratio to the
faster PyTorch variant (the machine's OPENBLAS_* settings or without them; it says which) with the
ratio's range (its lowest and highest possible value from the two ranges). A comparison is marked
UNRELIABLE when the two ranges overlap: the processes then do not even establish which is faster.
Where bench/direct has a program for a backend and model, the library used directly is printed too,
with infodyn's overhead (direct images/s over infodyn's). Standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys

MODELS = [("cnn-small", "cnn-small, 28x28, batch 128", "128"), ("resnet18", "resnet18-cifar, 32x32, batch 32", "32")]


def rates(out, contender, model, batch):
    values = []
    for f in sorted(glob.glob(os.path.join(out, f"r*-{contender}-{model}.json"))):
        values.append(json.load(open(f))["step"][batch]["images_per_s"])
    return values


def main():
    out, backends = sys.argv[1], sys.argv[2:]
    rounds = len({re.match(r"r(\d+)-", os.path.basename(f)).group(1) for f in glob.glob(os.path.join(out, "r*-*.json"))})
    print(f"\nimages/s of SGD training, median [range] of {rounds} interleaved processes each ({out})")
    for model, label, batch in MODELS:
        env = rates(out, "pytorch-env", model, batch)
        noenv = rates(out, "pytorch-noenv", model, batch)
        if not env and not noenv:
            continue
        print(f"\n{label}")
        for name, v in (("pytorch (OPENBLAS_* as set here)", env), ("pytorch (OPENBLAS_CORETYPE, _L2_SIZE unset)", noenv)):
            if v:
                print(f"  {name:44s} {statistics.median(v):9.1f} [{min(v):.1f}, {max(v):.1f}]")
        ref_name, ref = max((("with the machine's OPENBLAS_*", env), ("without OPENBLAS_*", noenv)),
                            key=lambda p: statistics.median(p[1]) if p[1] else -1)
        for b in backends:
            v = rates(out, f"infodyn-{b}", model, batch)
            if not v:
                continue
            ratio = statistics.median(v) / statistics.median(ref)
            lo, hi = min(v) / max(ref), max(v) / min(ref)
            if len(v) < 2 or len(ref) < 2:
                verdict = "one process each: no range, run more ROUNDS"
            else:
                overlap = max(min(v), min(ref)) <= min(max(v), max(ref))
                verdict = "UNRELIABLE: the ranges overlap" if overlap else "reliable: the ranges are apart"
            print(f"  {'infodyn ' + b:44s} {statistics.median(v):9.1f} [{min(v):.1f}, {max(v):.1f}]"
                  f"   {ratio:.2f}x PyTorch {ref_name} (range {lo:.2f}-{hi:.2f}x: {verdict})")
            d = rates(out, f"direct-{b}", model, batch)
            if d:
                overhead = statistics.median(d) / statistics.median(v)
                apart = max(min(v), min(d)) > min(max(v), max(d))
                print(f"  {b + ' used directly (bench/direct)':44s} {statistics.median(d):9.1f} [{min(d):.1f}, {max(d):.1f}]"
                      f"   infodyn's overhead {overhead:.2f}x (direct / infodyn, medians; ranges {'apart' if apart else 'overlap'})")


if __name__ == "__main__":
    main()
