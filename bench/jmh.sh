#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs JMH on it; arguments go to JMH's Main.
#   bench/jmh.sh BeaconDecode -f 1 -wi 3 -i 5      one class, profiled with -prof gc
#   bench/jmh.sh BeaconDecode -prof jfr            any -prof given replaces the default -prof gc
#   bench/jmh.sh -l                                list the benchmarks
# Fork JVM flags: jvm.options (add-opens, Chronicle properties), leak detection off, a fixed 1 GiB heap.
# JMH_SKIP_BUILD=1 runs what is already in bench/target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench/target"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ "${JMH_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -B -q -DskipTests package -pl bench -am) >&2
fi

jar=$(ls "$bench"/tally-bench-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -1 || true)
if [ -z "$jar" ] || { command -v unzip >/dev/null && ! unzip -l "$jar" META-INF/BenchmarkList >/dev/null 2>&1; }; then
  echo "jmh.sh: no bench jar with META-INF/BenchmarkList in $bench" >&2
  exit 1
fi

# -prof gc unless a profiler is named, or JMH is only asked to list or explain.
args=("$@")
default_prof=1
for a in "$@"; do
  case "$a" in
    -prof|-h|-l|-lp|-lprof|-lrf) default_prof=0 ;;
  esac
done
if [ "$default_prof" = 1 ]; then
  args=(-prof gc "${args[@]}")
fi

fork_flags=()
while read -r flag; do
  case "$flag" in ""|"#"*) ;; *) fork_flags+=("$flag") ;; esac
done < "$root/jvm.options"
fork_flags+=(-Dio.netty.leakDetection.level=disabled -Xms1g -Xmx1g)

exec "$java_bin" -cp "$jar:$bench/lib/*" org.openjdk.jmh.Main -jvmArgsAppend "${fork_flags[*]}" "${args[@]}"
