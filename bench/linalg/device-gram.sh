#!/usr/bin/env bash
# What `linearAlgebra: backend` costs or saves on this machine: a wide layer's Gram matrix by
# infodyn's kernels against each backend's DeviceAlgebra on the CPU (docs/DESIGN.md §5).
# Builds infodyn's CPU distribution if needed; about 20 s per repeat after the natives load.
# Usage: bench/linalg/device-gram.sh [REPEATS] [BACKENDS...]   (default: 3 djl tf dl4j)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
INFODYN_GPU=0 ./infodyn --version > /dev/null   # builds cli/target/dist if the sources changed
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The launcher's settings that matter here: DJL offline, no tracking; glibc's malloc as the launcher tunes it.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824}"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
echo "$(nproc) cores; load before: $(cut -d" " -f1-3 /proc/loadavg)"
exec "$java" -Xmx8g -XX:+UseParallelGC -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$root/cli/target/dist/lib/*" bench/linalg/DeviceGram.java "$@"
