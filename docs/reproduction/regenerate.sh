#!/usr/bin/env bash
# Re-runs the sweeps behind docs/REPRODUCTION.md and refreshes its figures and data.
#
#   docs/reproduction/regenerate.sh                 # every sweep in examples/paper
#   docs/reproduction/regenerate.sh checkerboard-width claim3-pretrain-color
#   SEEDS=0..19 docs/reproduction/regenerate.sh checkerboard-equal-updates   # other seeds than the file's
#
# Sweeps go to sweeps/paper/<name>/ (an interrupted one resumes where it stopped); each sweep's
# figures/*.svg and extremes.csv are copied to docs/reproduction/<name>/, and its peak/final/drop
# table is printed. With SEEDS, both folders are named <name>-seeds<SEEDS>. The numbers in REPRODUCTION.md come from those files (tables.py prints them
# as Markdown). Environment: PARALLEL (workers, default: the number of CPUs), SEEDS (a seed list
# for every sweep instead of the file's), OUT (default sweeps/paper).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${OUT:-sweeps/paper}"
parallel="${PARALLEL:-$(nproc)}"
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for f in examples/paper/*.yaml; do names+=("$(basename "$f" .yaml)"); done
fi
for name in "${names[@]}"; do
  file="examples/paper/$name.yaml"
  [[ -f "$file" ]] || { echo "no such sweep: $file (choose from: $(ls examples/paper | sed 's/\.yaml$//' | xargs))" >&2; exit 2; }
  tag="$name${SEEDS:+-seeds$SEEDS}"
  args=(sweep "$file" --out "$out/$tag" --parallel "$parallel" -q)
  [[ -d "$out/$tag" ]] && args+=(--resume)
  [[ -n "${SEEDS:-}" ]] && args+=(--set "seeds=$SEEDS")
  start=$(date +%s)
  ./infodyn "${args[@]}"
  echo "$tag: $(( $(date +%s) - start )) s wall on $parallel workers"
  dest="docs/reproduction/$tag"
  rm -rf "$dest" && mkdir -p "$dest"
  cp "$out/$tag"/figures/*.svg "$out/$tag/extremes.csv" "$dest/"
  python3 docs/reproduction/tables.py "$out/$tag"
  case "$name" in  # the sweeps with a figure of their own
    checkerboard-capacity) python3 docs/reproduction/capacity.py "$out/$tag" --out "$dest" ;;
    checkerboard-fisher) python3 docs/reproduction/fisher.py "$out/$tag" --out "$dest" ;;
  esac
done
