#!/usr/bin/env bash
# Side-by-side benchmark: infodyn (each given backend) and plain PyTorch eager, in one run, on
# the checkerboard example network, reported as ratios (this machine is shared and noisy: only
# numbers measured together are compared).
#
#   bench/run.sh                 # SGD step at batch 32 and 1,024; one probe point
#   bench/run.sh --workload      # also the whole main job: ./infodyn run examples/checkerboard.yaml
#                                # against the same workload in plain PyTorch
#
# Needs Debian's python3-torch with OpenBLAS (apt install python3-torch libopenblas0-pthread);
# without OpenBLAS, Debian's torch falls back to the reference BLAS and is ~10x slower.
# Environment: BACKENDS (default "djl"), STEPS (1000), REPEATS (5), OUT (bench-results).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
backends="${BACKENDS:-djl}"
steps="${STEPS:-1000}"
repeats="${REPEATS:-5}"
out="${OUT:-bench-results}/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
python="${PYTHON:-/usr/bin/python3}"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

./infodyn --version > /dev/null   # build first, outside the timings
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

"$python" bench/pytorch_reference.py --steps "$steps" --repeats "$repeats" > "$out/pytorch.json"
for b in $backends; do
  ./infodyn bench --backend "$b" --steps "$steps" --repeats "$repeats" --json "$out/infodyn-$b.json" | tee "$out/infodyn-$b.txt"
done

if [[ "${1:-}" == "--workload" ]]; then
  "$python" bench/pytorch_reference.py --steps 10 --repeats 1 --workload > "$out/pytorch-workload.json"
  for b in $backends; do
    start=$(date +%s.%N)
    ./infodyn run examples/checkerboard.yaml --backend "$b" --out "$out/runs-$b" -q > "$out/run-$b.txt"
    end=$(date +%s.%N)
    echo "{\"workload_s\": $(echo "$end - $start" | bc)}" > "$out/infodyn-$b-workload.json"
  done
fi

"$python" - "$out" $backends <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1]); backends = sys.argv[2:]
ref = json.loads((out / "pytorch.json").read_text())
print(f"\nside by side ({out}); ratio = PyTorch time / infodyn time (> 1: infodyn is faster)")
print(f"{'measure':32s} {'pytorch':>10s} " + " ".join(f"{b:>10s} {'ratio':>6s}" for b in backends))
for batch, r in ref["step"].items():
    row = f"{'SGD step, batch ' + batch + ' (us)':32s} {r['median_us']:10.1f} "
    for b in backends:
        s = json.loads((out / f"infodyn-{b}.json").read_text())["step"][batch]["median_us"]
        row += f"{s:10.1f} {r['median_us'] / s:6.2f} "
    print(row)
wl = out / "pytorch-workload.json"
if wl.exists():
    p = json.loads(wl.read_text())["workload_s"]
    row = f"{'main job, whole (s)':32s} {p:10.1f} "
    for b in backends:
        s = json.loads((out / f"infodyn-{b}-workload.json").read_text())["workload_s"]
        row += f"{s:10.1f} {p / s:6.2f} "
    print(row)
PY
