#!/usr/bin/env bash
# CPU cost of one mapped layer per bio (issue 2), without I/O threads: 4 KiB writes to a zero device,
# and through linear / striped devices stacked on zero devices, with accounting on and off. Prints the
# submitting thread's CPU ns per bio (minimum over chunks); "linear - zero" is one layer's cost.
# Deterministic enough to compare builds on a loaded machine, unlike throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
. bench/benchmarks-classpath.sh
for r in $(seq 1 "$ROUNDS"); do
  for via in zero linear striped; do
    for s in stats nostats; do
      "$JAVA_HOME/bin/java" -cp "$CP" io.mapperd.bench.DmLayerCostBenchmark "$via" "$s" 2>/dev/null
    done
  done
done
