#!/usr/bin/env bash
# infodyn on a GPU, checked in one prepared script (docs: README "On a GPU").
#
#   bench/device-check.sh
#
# 1. Is there an NVIDIA GPU (the driver's nvidia-smi lists one)? If not: "verdict: no GPU", exit 3,
#    nothing built or downloaded.
# 2. Builds the GPU variant (INFODYN_GPU=1 ./infodyn: the backends' CUDA jars, ~5 GB, downloaded
#    from Maven Central on the first build, or taken from a local repository that holds them) and
#    prints the devices each backend sees.
# 3. The main job (examples/checkerboard.yaml) on each backend on the GPU against the CPU:
#    infodyn compare --backends B@cpu,B@gpu, at compare's tolerances (usable information within
#    0.02 bits at every probe point, final parameters within 1e-3 per tensor).
#    Then both GPU backends in one process on cnn-small (they must share one cuDNN).
# 4. Images/s of SGD training at batch 128: cnn-small on 28x28 digits and resnet18-cifar on 32x32
#    images (synthetic files in the official layouts: speed does not depend on the pixels), on the
#    GPU, and cnn-small on the CPU for scale.
# 5. Replica groups of the main job's network on the GPU: µs per step per replica (infodyn bench
#    --replicas).
# 6. Wide layers' Gram matrices on the GPU (linearAlgebra: backend): the bits against infodyn's own
#    kernels, and a cold probe point of cnn-small's block1 both ways (infodyn bench; ~2 min in all).
# Ends with one "verdict:" line. Exit code: 0 every check ran and agreed, 1 a check failed or
# disagreed, 2 the GPU build could not be made, 3 no GPU here.
#
# Environment: NVIDIA_SMI (the driver's tool; default nvidia-smi), BACKENDS (default "djl tf":
# DL4J has no GPU build, see `infodyn backends`), OUT (default bench-results), STEPS (timed steps
# per repeat, default 20), REPEATS (default 3).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
smi="${NVIDIA_SMI:-nvidia-smi}"
backends="${BACKENDS:-djl tf}"
steps="${STEPS:-20}"
repeats="${REPEATS:-3}"
out="${OUT:-bench-results}/device-check-$(date +%Y%m%d-%H%M%S)"
failed=()

say() { echo "device-check: $*"; }

# 1. a GPU?
if ! command -v "$smi" > /dev/null 2>&1; then
  say "no NVIDIA driver: '$smi' is not installed (the driver ships it)"
  echo "verdict: no GPU — nothing to check on this machine (the CPU build is unaffected; INFODYN_GPU=1 ./infodyn backends says what each backend would need)"
  exit 3
fi
if ! gpus="$("$smi" -L 2>&1)" || ! grep -q '^GPU ' <<< "$gpus"; then
  say "the NVIDIA driver lists no GPU: $(head -n 1 <<< "$gpus")"
  echo "verdict: no GPU — nothing to check on this machine"
  exit 3
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2> /dev/null; then
  echo "verdict: cannot check: python3 3.9 or newer is needed (to write the benchmark's image files)"
  exit 2
fi
mkdir -p "$out"
tee "$out/gpus.txt" <<< "$gpus"
"$smi" --query-gpu=name,memory.total,driver_version,compute_cap --format=csv | tee "$out/gpu-details.csv"
echo "machine: $(getconf _NPROCESSORS_ONLN) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java: $(java -version 2>&1 | head -n 1)"

# 2. the GPU build, and what each backend sees
export INFODYN_GPU=1
start=$(date +%s)
if ! ./infodyn --version > "$out/build.txt" 2>&1; then
  cat "$out/build.txt"
  echo "verdict: the GPU build could not be made (see above: Maven needs Maven Central or a local repository holding the GPU jars)"
  exit 2
fi
say "GPU build ready in $(( $(date +%s) - start )) s"
export INFODYN_SKIP_BUILD=1
./infodyn backends 2>&1 | tee "$out/backends.txt"

# data for the convolutional checks: synthetic files in the official layouts (speed and agreement
# do not depend on the pixels)
python3 - "$out/data" <<'PY'
import pathlib, random, struct, sys
d = pathlib.Path(sys.argv[1]); rnd = random.Random(0)
digits = d / "digits"; digits.mkdir(parents=True, exist_ok=True)
n = 4096
(digits / "images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + rnd.randbytes(n * 784))
(digits / "labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, n) + bytes(i % 10 for i in range(n)))
cifar = d / "cifar10"; cifar.mkdir(parents=True, exist_ok=True)
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    with open(cifar / name, "wb") as f:
        for i in range(500):
            f.write(bytes([i % 10]) + rnd.randbytes(3072))
PY

# 3. the main job, GPU against CPU, per backend
for b in $backends; do
  say "main job on $b: cpu against gpu"
  ./infodyn compare examples/checkerboard.yaml --backends "$b@cpu,$b@gpu" --out "$out/compare-$b" -q 2>&1 | tee "$out/compare-$b.txt"
  rc=${PIPESTATUS[0]}
  [[ $rc == 0 ]] || failed+=("main job on $b (compare exit $rc)")
  grep -h '"cuda_version"\|"name"' "$out/compare-$b/$b@gpu"/*/manifest.json 2>/dev/null | head -n 4
done

# both GPU backends in one process (they share one cuDNN), on a convolutional network
if [[ $backends == *djl* && $backends == *tf* ]]; then
  say "djl and tf on the GPU in one process (cnn-small, 20 steps)"
  ./infodyn compare bench/cnn-small-mnist.yaml --set task.data="$out/data/digits" --set 'train.phases[0]={steps: 20, lr: 0.05, batch: 32}' \
      --set 'probes=[]' --backends djl@gpu,tf@gpu --out "$out/compare-djl-tf-gpu" -q > "$out/compare-djl-tf-gpu.txt" 2>&1
  rc=$?
  tail -n 3 "$out/compare-djl-tf-gpu.txt"
  [[ $rc == 0 ]] || failed+=("djl and tf on the GPU in one process (compare exit $rc)")
fi

# 4. images/s
for b in $backends; do
  for run in "cnn-small gpu" "cnn-small cpu" "resnet18 gpu"; do
    set -- $run
    if [[ $1 == cnn-small ]]; then yaml=bench/cnn-small-mnist.yaml; data="$out/data/digits"; else yaml=bench/resnet18-cifar.yaml; data="$out/data/cifar10"; fi
    if ./infodyn bench "$yaml" --set task.data="$data" --backend "$b" --device "$2" --batches 128 --steps "$steps" \
        --repeats "$repeats" --no-probe --json "$out/images-$b-$1-$2.json" > "$out/images-$b-$1-$2.txt" 2>&1; then
      say "$b $1 on $2: $(grep -m1 'SGD step' "$out/images-$b-$1-$2.txt" | sed 's/^ *//') (a sample is an image)"
    else
      failed+=("images/s of $1 on $b $2"); tail -n 3 "$out/images-$b-$1-$2.txt"
    fi
  done
done

# 5. replica groups on the GPU
for b in $backends; do
  if ./infodyn bench --backend "$b" --device gpu --batches 32 --steps "$steps" --repeats "$repeats" --replicas 1,20,50 \
      > "$out/replicas-$b.txt" 2>&1; then
    say "$b replica groups on the GPU:"; grep -i 'replica' "$out/replicas-$b.txt"
  else
    failed+=("replica groups on $b"); tail -n 3 "$out/replicas-$b.txt"
  fi
done

# 6. wide layers' Gram matrices on the GPU (linearAlgebra: backend): the same bits as infodyn's own
#    kernels (within 2e-5 × max(1, held-out CE), docs/DESIGN.md §5), then the cost of a cold
#    probe point of cnn-small's block1 both ways (the agreement experiment: bench/gram-agreement.yaml)
for b in $backends; do
  if ./infodyn run bench/gram-agreement.yaml --backend "$b" --device gpu --out "$out/gram-$b" -q > "$out/gram-$b.txt" 2>&1 \
      && python3 - "$out/gram-$b/gram-$b-seed0/metrics.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
value = {(r["probe"], r["step"], r["layer"], r["variable"], r["metric"]): float(r["value"]) for r in rows if r["value"]}
worst = 0.0
for (probe, step, layer, variable, metric), own in value.items():
    if probe == "own" and metric == "bits":
        ce = value[("own", step, layer, variable, "decoder_eval_ce_bits")]
        worst = max(worst, abs(value[("device", step, layer, variable, "bits")] - own) / (2e-5 * max(1.0, ce)))
print(f"device-check: largest difference of the GPU Gram's bits from infodyn's, in units of the tolerance: {worst:.3g}")
sys.exit(0 if worst <= 1 else 1)
PY
  then
    say "$b: wide layers' bits with the GPU's Gram agree with infodyn's own"
  else
    failed+=("bits with the Gram on $b's GPU"); tail -n 3 "$out/gram-$b.txt"
  fi
  for algebra in java backend; do
    # block1 alone (6,272 features, both variables): the widest layer, and half the probe work of the full point
    if ./infodyn bench bench/probe-wide-cnn.yaml --set task.data="$out/data/digits" --set "probes[0].linearAlgebra=$algebra" \
        --set 'probes[0].layers=[block1]' \
        --backend "$b" --device gpu --batches 32 --steps "$steps" --repeats 1 > "$out/probe-$b-$algebra.txt" 2>&1; then
      say "$b, linearAlgebra $algebra: $(grep -m1 'fits, cold:' "$out/probe-$b-$algebra.txt" | sed 's/^ *//')"
    else
      failed+=("probe point with linearAlgebra $algebra on $b"); tail -n 3 "$out/probe-$b-$algebra.txt"
    fi
  done
done

say "files: $out"
if [[ ${#failed[@]} == 0 ]]; then
  echo "verdict: GPU checks passed ($backends): the main job agrees with the CPU run within compare's tolerances"
  exit 0
fi
echo "verdict: FAILED: ${failed[*]}"
exit 1
