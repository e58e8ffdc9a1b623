#!/usr/bin/env bash
# Every JMH benchmark of the bench module, each with -prof gc (B/op): codec decode, goal matching at
# 10/100/1,000 goals, journal append, rollup apply, the per-event path through the engine (limit, decode,
# match, encode, append) and the whole HTTP handler on an EmbeddedChannel. About 7 minutes.
#   bench/jmh-all.sh                      results also in bench/target/jmh-all.json
#   bench/jmh-all.sh -wi 5 -i 10 -f 2     any JMH flag is passed on (later flags win)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$root/bench/jmh.sh" \
  'BeaconDecodeBenchmark|GoalMatchBenchmark|JournalAppendBenchmark|RollupApplyBenchmark|IngestPathBenchmark|HttpHandlerBenchmark' \
  -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff "$root/bench/target/jmh-all.json" "$@"
