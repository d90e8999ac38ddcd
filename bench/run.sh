#!/usr/bin/env bash
# Side-by-side benchmark: infodyn (each given backend) and plain PyTorch eager, in one run, on
# the checkerboard example network, reported as ratios (this machine is shared and noisy: only
# numbers measured together are compared).
#
#   bench/run.sh                 # SGD step at batch 32 and 1,024; one probe point
#   bench/run.sh --workload      # also the whole main job: ./infodyn run examples/checkerboard.yaml
#                                # against the same workload in plain PyTorch
#   bench/run.sh --images        # instead: images/s of SGD training for cnn-small at batch 128 on
#                                # 28x28 MNIST digits and resnet18-cifar at batch 32 on 32x32
#                                # images (a synthetic CIFAR-10 folder in the official binary
#                                # layout is written first: speed does not depend on the pixels),
#                                # ROUNDS (3) processes per contender, interleaved; PyTorch with
#                                # and without this machine's OPENBLAS_* settings; medians, ranges
#                                # and a reliability verdict per comparison (bench/summarize.py)
#   bench/run.sh --probe-cost    # instead: the main job's wall time with each other probe added to
#                                # its usable-information probe (cka, dimensionality, weights,
#                                # fisher; their defaults), REPEATS processes each, interleaved,
#                                # as the median and range and the ratio to the main job alone
#   bench/run.sh --spark         # instead: a sweep of the main job (checkerboard-sweep, 2 seeds: 8 runs,
#                                # each its own task) locally and on Apache Spark: local[1], and a
#                                # standalone cluster on 127.0.0.1 with one and with two workers (one
#                                # core each), REPEATS (3) rounds interleaved; Spark's cost per run and
#                                # runs per minute (bench/spark_summary.py)
#   bench/run.sh --probes        # instead: one probe point of cnn-small's wide layers (per layer
#                                # and width, cold and warm), then the decoder tolerance study
#                                # (bits of each tolerance against a 3,000-iteration reference)
#
# Needs Debian's python3-torch with OpenBLAS (apt install python3-torch libopenblas0-pthread);
# without OpenBLAS, Debian's torch falls back to the reference BLAS and is ~10x slower.
# Environment: BACKENDS (default "djl"), STEPS (1000; --images: 10 and 3), REPEATS (5; --images: 3), ROUNDS (--images: 3),
# OUT (bench-results), MNIST (--images: an MNIST folder, default ../shared/data/mnist-10k).
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
export INFODYN_SKIP_BUILD=1        # and never during them (a source edited meanwhile would start a build)
echo "machine: $(getconf _NPROCESSORS_ONLN) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ "${1:-}" == "--probe-cost" ]]; then
  reps="${REPEATS:-3}"
  ui='{id: usable-information, layers: [hidden1, hidden2, hidden3], variables: [direction, color, config]}'
  declare -A extra=([main]="" [cka]=", {id: cka, layers: [hidden1, hidden2, hidden3]}"
    [dimensionality]=", {id: dimensionality, layers: [hidden1, hidden2, hidden3]}" [weights]=", {id: weights}" [fisher]=", {id: fisher}")
  order=(main cka dimensionality weights fisher)
  for ((r = 1; r <= reps; r++)); do
    for c in "${order[@]}"; do
      t0=$(date +%s.%N)
      ./infodyn run examples/checkerboard.yaml --backend "${backends%% *}" --set "probes=[$ui${extra[$c]}]" -q --out "$out/runs/$c-$r" > /dev/null
      t1=$(date +%s.%N)
      echo "$c $(echo "$t1 - $t0" | bc)" | tee -a "$out/probe-cost.txt"
    done
  done
  "$python" - "$out/probe-cost.txt" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    c, s = line.split()
    t.setdefault(c, []).append(float(s))
base = statistics.median(t["main"])
print("\nmain job wall time (s), median [range] of %d processes; ratio to the main job alone" % len(t["main"]))
for c, v in t.items():
    m = statistics.median(v)
    print(f"  {c:15s} {m:6.1f} [{min(v):.1f}, {max(v):.1f}]  {m / base:5.2f}x")
PY
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

if [[ "${1:-}" == "--spark" ]]; then
  reps="${REPEATS:-3}"
  exp=examples/checkerboard-sweep.yaml
  common=(--set seeds=0..1 --replicas 1 --backend "${backends%% *}" -q)
  INFODYN_SKIP_BUILD=0 ./infodyn sweep "$exp" --dry-run --spark 'local[1]' > /dev/null   # builds module spark, outside the timings
  # Two standalone clusters from the Maven jars (as the spark module's tests start them): 1 and 2 workers.
  home="$out/spark-home"; mkdir -p "$home/jars"
  ln -s "$root"/spark/target/dist/lib/*.jar "$root"/cli/target/dist/lib/slf4j-simple-*.jar "$home/jars/"
  jvm=(-Xmx384m --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
       --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED)
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  pids=()
  trap 'kill ${pids[*]} 2>/dev/null; pkill -f "CoarseGrainedExecutorBackend.*spark://CoarseGrainedScheduler@127.0.0.1" 2>/dev/null || true' EXIT
  port=27077
  for workers in 1 2; do
    p=$((port + workers))
    java "${jvm[@]}" -cp "$home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $p --webui-port $((p + 1000)) \
        > "$out/master$workers.log" 2>&1 & pids+=($!)
    sleep 3
    for ((w = 1; w <= workers; w++)); do
      mkdir -p "$out/work$workers-$w"
      java "${jvm[@]}" -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g \
          --work-dir "$out/work$workers-$w" --webui-port 0 "spark://127.0.0.1:$p" > "$out/worker$workers-$w.log" 2>&1 & pids+=($!)
    done
  done
  sleep 8
  loop=(--spark-conf spark.driver.host=127.0.0.1 --spark-conf spark.ui.enabled=false)
  declare -A how=([local-1]="--parallel 1" [spark-local-1]="--spark local[1] ${loop[*]}" [cluster-1w]="--spark spark://127.0.0.1:$((port + 1)) ${loop[*]}"
    [local-2]="--parallel 2" [cluster-2w]="--spark spark://127.0.0.1:$((port + 2)) ${loop[*]}")
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"
  for ((r = 1; r <= reps; r++)); do
    for c in local-1 spark-local-1 cluster-1w local-2 cluster-2w; do
      t0=$(date +%s.%N)
      # shellcheck disable=SC2086
      ./infodyn sweep "$exp" "${common[@]}" ${how[$c]} --out "$out/sweeps/$c-$r" > "$out/$c-$r.log" 2>&1
      t1=$(date +%s.%N)
      cmp -s "$out/sweeps/$c-$r/summary.csv" "$out/sweeps/local-1-1/summary.csv" && same=same || same=DIFFERENT
      echo "$c $(echo "$t1 - $t0" | bc) $same" | tee -a "$out/spark.txt"
    done
  done
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
  "$python" bench/spark_summary.py "$out/spark.txt" 8
  exit 0
fi

if [[ "${1:-}" == "--probes" ]]; then
  mnist="${MNIST:-../shared/data/mnist-10k}"
  for b in $backends; do
    ./infodyn bench bench/probe-wide-cnn.yaml --set task.data="$mnist" --backend "$b" --batches 32 --steps 20 --repeats 1 \
        --json "$out/infodyn-$b-probe-wide.json" | tee "$out/infodyn-$b-probe-wide.txt"
  done
  ./infodyn run bench/probe-tolerance.yaml --set task.data="$mnist" --backend "${backends%% *}" --probe-threads 1 -q \
      --out "$out/tolerance" > "$out/tolerance.txt"
  "$python" - "$out/tolerance" <<'PY'
import csv, glob, sys
val = {}
for f in glob.glob(sys.argv[1] + "/*/metrics.csv"):
    for r in csv.DictReader(open(f)):
        if r["probe"] != "train" and r["metric"] == "bits" and r["value"]:
            val[(r["probe"], r["seed"], r["step"], r["layer"], r["variable"])] = float(r["value"])
keys = sorted({k[1:] for k in val})
print("\ndecoder tolerance: largest |bits - ref| over seeds, points, layers and variables")
for label in ("tol9", "tol7", "tol6"):
    d = [abs(val[(label,) + k] - val[("ref",) + k]) for k in keys if (label,) + k in val and ("ref",) + k in val]
    print(f"  {label}: max {max(d):.2e}, median {sorted(d)[len(d) // 2]:.2e} ({len(d)} values)")
s = [abs(val[("ref", "0") + k[1:]] - val[("ref", "1") + k[1:]]) for k in keys if k[0] == "0" and ("ref", "1") + k[1:] in val]
print(f"  between the two seeds (ref): median {sorted(s)[len(s) // 2]:.2e}, max {max(s):.2e}")
PY
  exit 0
fi

if [[ "${1:-}" == "--images" ]]; then
  mnist="${MNIST:-../shared/data/mnist-10k}"
  cifar="${OUT:-bench-results}/cifar10-synthetic"
  # A CIFAR-10 folder in the official binary layout: 1 label byte + 3,072 pixel bytes per record.
  "$python" - "$cifar" <<'PY'
import os, pathlib, random, sys
d = pathlib.Path(sys.argv[1]); d.mkdir(parents=True, exist_ok=True)
rnd = random.Random(0)
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    with open(d / name, "wb") as f:
        for i in range(500):
            f.write(bytes([i % 10]) + rnd.randbytes(3072))
PY
  isteps="${STEPS:-10}"; irepeats="${REPEATS:-3}"; rsteps="${STEPS:-3}"; rounds="${ROUNDS:-3}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"
  # Every process runs with the malloc settings ./infodyn sets (docs/DESIGN.md §12): without them
  # PyTorch itself is 2-3x slower in some processes (cnn-small: ~830-1,080 against ~2,650 images/s),
  # and so are DJL and the direct programs.
  tunables="${GLIBC_TUNABLES:-$(sed -n 's/^ *export GLIBC_TUNABLES=//p' infodyn)}"
  # Every contender is measured in ROUNDS separate processes, interleaved (A B C A B C …), so that
  # a slow phase of the machine hits all of them. PyTorch runs twice per round: as this machine's
  # environment has it and with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they change Debian's
  # PyTorch speed); the faster of the two is the reference.
  for ((r = 1; r <= rounds; r++)); do
    for m in cnn-small resnet18; do
      if [[ $m == cnn-small ]]; then pm=cnn-small; batch=128; st=$isteps; yaml=bench/cnn-small-mnist.yaml; data=$mnist
      else pm=resnet18-cifar; batch=32; st=$rsteps; yaml=bench/resnet18-cifar.yaml; data=$cifar; fi
      GLIBC_TUNABLES="$tunables" "$python" bench/pytorch_reference.py --model "$pm" --batches "$batch" --steps "$st" \
          --repeats "$irepeats" > "$out/r$r-pytorch-env-$m.json"
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE GLIBC_TUNABLES="$tunables" "$python" bench/pytorch_reference.py --model "$pm" \
          --batches "$batch" --steps "$st" --repeats "$irepeats" > "$out/r$r-pytorch-noenv-$m.json"
      for b in $backends; do
        ./infodyn bench "$yaml" --set task.data="$data" --backend "$b" --batches "$batch" --steps "$st" \
            --repeats "$irepeats" --no-probe --json "$out/r$r-infodyn-$b-$m.json" > "$out/r$r-infodyn-$b-$m.txt"
        # the library used directly, where bench/direct/<Backend>Direct.java is written for the model
        # (exit code 3: not written for it)
        direct="bench/direct/$(tr '[:lower:]' '[:upper:]' <<< "${b:0:1}")${b:1}Direct.java"
        if [[ -f "$direct" ]]; then
          # with the malloc settings ./infodyn runs with (the ratio is then infodyn's own overhead)
          if ! GLIBC_TUNABLES="$tunables" java -cp 'cli/target/dist/lib/*' "$direct" "$pm" "$st" "$irepeats" "$batch" \
              > "$out/r$r-direct-$b-$m.json" 2> "$out/r$r-direct-$b-$m.log"; then
            rm -f "$out/r$r-direct-$b-$m.json"
          fi
        fi
      done
      echo "round $r/$rounds: $m done"
    done
  done
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
  "$python" bench/summarize.py "$out" $backends
  exit 0
fi

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
