#!/usr/bin/env bash
# The same JMH benchmarks on another revision's build (A) and this tree's (B), alternating A B A B ..., so
# that a shared, noisy machine's drift falls on both sides; then the mean of each side and B/A per benchmark.
#   bench/jmh-ab.sh REV ROUNDS JMH-ARGS...      e.g. bench/jmh-ab.sh 58a7df5 2 'IngestPath|HttpHandler' -f 1 -wi 3 -i 5
# A is built from a detached worktree at REV under bench/target/ab/base (kept between runs); results are JMH
# JSON files in bench/target/ab/ (A-1.json, B-1.json, ...). Each side runs through that side's bench/jmh.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rev="$1"; rounds="$2"; shift 2
out="$root/bench/target/ab"
base="$out/base"
mkdir -p "$out"

git -C "$root" worktree prune # a base deleted by mvn clean is forgotten, not "already registered"
if [ -d "$base" ] && [ "$(git -C "$base" rev-parse HEAD)" != "$(git -C "$root" rev-parse "$rev^{commit}")" ]; then
  git -C "$root" worktree remove --force "$base"
fi
if [ ! -d "$base" ]; then
  git -C "$root" worktree add --detach "$base" "$rev" >&2
fi
(cd "$base" && mvn -B -q -DskipTests package -pl bench -am) >&2
(cd "$root" && mvn -B -q -DskipTests package -pl bench -am) >&2

rm -f "$out"/[AB]-*.json
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    dir="$root"; [ "$side" = A ] && dir="$base"
    echo "== round $round, $side ($( [ "$side" = A ] && echo "$rev" || echo "this tree")), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    JMH_SKIP_BUILD=1 "$dir/bench/jmh.sh" "$@" -rf json -rff "$out/$side-$round.json" >&2
  done
done

python3 - "$out" "$rounds" <<'PY'
import json, sys, collections
out, rounds = sys.argv[1], int(sys.argv[2])
def load(side):
    runs = collections.defaultdict(lambda: {"score": [], "alloc": []})
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{side}-{r}.json")):
            key = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
            key += "".join(f" {k}={v}" for k, v in sorted(b.get("params", {}).items()))
            runs[key]["score"].append(b["primaryMetric"]["score"])
            alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            runs[key]["alloc"].append(alloc["score"] if alloc else float("nan"))
            runs[key]["unit"] = b["primaryMetric"]["scoreUnit"]
    return runs
a, b = load("A"), load("B")
mean = lambda xs: sum(xs) / len(xs)
print(f"| benchmark | A {'score':>10} | B {'score':>10} | B/A | A B/op | B B/op |")
print("|---|---|---|---|---|---|")
for key in a:
    if key in b:
        sa, sb = mean(a[key]["score"]), mean(b[key]["score"])
        print(f"| {key} | {sa:.1f} {a[key]['unit']} | {sb:.1f} | {sb / sa:.3f} | {mean(a[key]['alloc']):.1f} | {mean(b[key]['alloc']):.1f} |")
PY
