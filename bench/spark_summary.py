"""Summarizes bench/run.sh --spark: wall time of the same sweep per configuration (median and
range over interleaved rounds), Spark's cost per run against the local sweep with the same
number of workers, and runs per minute."""
import statistics
import sys

times, same = {}, {}
for line in open(sys.argv[1]):
    config, seconds, verdict = line.split()
    times.setdefault(config, []).append(float(seconds))
    same.setdefault(config, set()).add(verdict)
runs = int(sys.argv[2])
med = {c: statistics.median(v) for c, v in times.items()}
print(f"\nsweep of {runs} runs, wall time in s: median [range] over {len(times['local-1'])} rounds; runs/min from the median")
for c, v in times.items():
    print(f"  {c:14s} {med[c]:6.1f} [{min(v):.1f}, {max(v):.1f}]  {60 * runs / med[c]:5.1f} runs/min"
          f"  summary.csv {'same as local' if same[c] == {'same'} else 'DIFFERENT'}")
print("\nSpark's cost against the local sweep with as many workers (start-up included, spread over the runs):")
for spark, local in (("spark-local-1", "local-1"), ("cluster-1w", "local-1"), ("cluster-2w", "local-2")):
    if spark in med and local in med:
        extra = med[spark] - med[local]
        print(f"  {spark:14s} vs {local:8s} {extra:+6.1f} s in all = {extra / runs:+.2f} s per run"
              f" ({100 * extra / med[local]:+.1f} %)")
