"""Writes sensors.csv, the table behind examples/tabular.yaml. Standard library only; deterministic.

    python3 examples/data/make_sensors.py        # rewrites examples/data/sensors.csv

A made-up monitoring table with the structure of the paper's checkerboard, in columns a researcher
would have: two hidden factors, `load` (low/high) and `regime` (calm/gusty), each visible in noisy
sensor readings; the label to learn, `fault`, is their XOR (a fault is a high load in calm
weather or a low load in gusty weather), so neither factor alone predicts it. `site` (4 values)
shifts two of the readings but has nothing to do with faults: information the network may
encode early and need not keep. `load` and `regime` are columns too, to probe.
"""
import csv
import math
import os
import random

ROWS = 2000
rng = random.Random(20261204)
sites = ["north", "south", "east", "west"]
site_shift = {"north": (0.8, 0.0), "south": (-0.8, 0.0), "east": (0.0, 0.8), "west": (0.0, -0.8)}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sensors.csv")
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["temp", "vibration", "current", "pressure", "humidity", "wind", "noise1", "noise2",
                "site", "load", "regime", "fault"])
    for _ in range(ROWS):
        load = rng.randrange(2)
        regime = rng.randrange(2)
        site = rng.choice(sites)
        dx, dy = site_shift[site]
        l = (1.0 if load else -1.0) + rng.gauss(0, 0.6)
        r = (1.0 if regime else -1.0) + rng.gauss(0, 0.6)
        row = [
            0.7 * l + dx + rng.gauss(0, 0.3),          # temp: load, site
            0.5 * l + 0.5 * r + rng.gauss(0, 0.3),     # vibration: both
            l + rng.gauss(0, 0.3),                     # current: load
            0.6 * r + dy + rng.gauss(0, 0.3),          # pressure: regime, site
            dx - dy + rng.gauss(0, 0.5),               # humidity: site only
            r + rng.gauss(0, 0.3),                     # wind: regime
            rng.gauss(0, 1),                           # noise
            rng.gauss(0, 1),
        ]
        w.writerow([f"{v:.4f}" for v in row] + [site, ["low", "high"][load], ["calm", "gusty"][regime], load ^ regime])
print(f"wrote {ROWS} rows to {path}")
