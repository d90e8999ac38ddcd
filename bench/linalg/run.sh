#!/usr/bin/env bash
# The linear-algebra choice behind the linear decoder's kernels (issue 22; docs/DESIGN.md §5):
# infodyn's own kernels against a Vector API micro-kernel, netlib (JNI on the system's BLAS, and
# its pure-Java fallback) and EJML, on a wide layer's Gram matrix and a Cholesky factor, one
# thread. Fetches netlib 3.0.3 and EJML 0.46.1 from Maven Central into the local repository
# (MAVEN_REPOSITORY, default ~/.m2/repository; they are not dependencies of the product), builds
# infodyn's CPU distribution if needed, and prints one line per contender and repeat.
# Usage: bench/linalg/run.sh [REPEATS]   (about 30 s per repeat, plus 30 s for the first)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
repo="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"
for a in dev.ludovic.netlib:blas:3.0.3 dev.ludovic.netlib:lapack:3.0.3 org.ejml:ejml-ddense:0.46.1; do
  # -N: once, not once per module of this project; Maven prints its errors on stdout
  if ! log="$(mvn -N -q -B -Dmaven.repo.local="$repo" dependency:get -Dartifact="$a" 2>&1)"; then
    echo "$log" >&2
    echo "bench/linalg: cannot fetch $a from Maven Central into $repo" >&2
    exit 1
  fi
done
jars=("$repo"/dev/ludovic/netlib/blas/3.0.3/blas-3.0.3.jar "$repo"/dev/ludovic/netlib/lapack/3.0.3/lapack-3.0.3.jar
      "$repo"/net/sourceforge/f2j/arpack_combined_all/0.1/arpack_combined_all-0.1.jar
      "$repo"/org/ejml/ejml-ddense/0.46.1/ejml-ddense-0.46.1.jar "$repo"/org/ejml/ejml-core/0.46.1/ejml-core-0.46.1.jar)
for j in "${jars[@]}"; do
  [[ -f "$j" ]] || { echo "bench/linalg: $j is missing after the fetch" >&2; exit 1; }
done
INFODYN_GPU=0 ./infodyn --version > /dev/null   # builds cli/target/dist if the sources changed
cp="$(IFS=:; echo "${jars[*]}"):$root/cli/target/dist/lib/*"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"   # the JDK the launcher would use
# One BLAS thread, as the decoders fit one series per thread. The JDK prints a warning for the
# incubator module; it is this program's, not the product's.
OPENBLAS_NUM_THREADS=1 exec "$java" -Xmx8g --add-modules jdk.incubator.vector -cp "$cp" bench/linalg/LinalgChoice.java "${1:-3}"
