#!/usr/bin/env bash
# The linear-algebra choice behind the linear decoder's kernels (issue 22; docs/DESIGN.md §5):
# infodyn's own kernels against a Vector API micro-kernel, netlib (JNI on the system's BLAS, and
# its pure-Java fallback) and EJML, on a wide layer's Gram matrix and a Cholesky factor, one
# thread. Fetches netlib 3.0.3 and EJML 0.46.1 from Maven Central into the local repository (not
# dependencies of the product), builds infodyn if needed, and prints one line per contender and
# repeat. Usage: bench/linalg/run.sh [REPEATS]   (about 1 minute per repeat, plus 30 s once)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
repo="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"   # Maven's default local repository
for a in dev.ludovic.netlib:blas:3.0.3 dev.ludovic.netlib:lapack:3.0.3 org.ejml:ejml-ddense:0.46.1; do
  mvn -q -B dependency:get -Dartifact="$a" > /dev/null
done
jars=("$repo"/dev/ludovic/netlib/blas/3.0.3/blas-3.0.3.jar "$repo"/dev/ludovic/netlib/lapack/3.0.3/lapack-3.0.3.jar
      "$repo"/net/sourceforge/f2j/arpack_combined_all/0.1/arpack_combined_all-0.1.jar
      "$repo"/org/ejml/ejml-ddense/0.46.1/ejml-ddense-0.46.1.jar "$repo"/org/ejml/ejml-core/0.46.1/ejml-core-0.46.1.jar)
./infodyn --version > /dev/null   # builds cli/target/dist if the sources changed
cp="$(IFS=:; echo "${jars[*]}"):$root/cli/target/dist/lib/*"
# One BLAS thread, as the decoders fit one series per thread. The JDK prints a warning for the
# incubator module; it is this program's, not the product's.
OPENBLAS_NUM_THREADS=1 exec java -Xmx8g --add-modules jdk.incubator.vector -cp "$cp" bench/linalg/LinalgChoice.java "${1:-3}"
