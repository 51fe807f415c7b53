#!/usr/bin/env bash
# dm-core overhead benchmark (issue 2): 4 KiB random read/write at QD32 and 1 MiB sequential
# read/write at QD8 through linear and striped mapped devices vs the same file directly, on /dev/shm.
# Runs DmStackRun in FORKS JVMs (default 3); each times ROUNDS rounds (default 8) after one warm-up
# round, and a round runs every case on every device for SLICE_MS (default 1000) each, the device
# order rotating. Devices of one JVM share its JIT state and I/O threads, so each round gives a paired
# ratio device/file; the report is the median over all FORKS x ROUNDS ratios, and each JVM's median.
# VIAS (default file,linear,striped) picks the devices; linear-noiostats and striped-noiostats are the
# same devices with I/O accounting off. BENCHES (default all four) picks the cases, e.g.
#   FORKS=2 VIAS=file,linear,linear-noiostats BENCHES="randRead4k randWrite4k" bench/dm-stack.sh
# The JMH form of the same workloads is DmStackBenchmark (one JVM per device, so its ratios are not paired).
set -euo pipefail
cd "$(dirname "$0")/.."
FORKS=${FORKS:-3}
ROUNDS=${ROUNDS:-8}
SLICE_MS=${SLICE_MS:-1000}
VIAS=${VIAS:-file,linear,striped}
BENCHES=${BENCHES:-randRead4k randWrite4k seqRead1m seqWrite1m}
case ",$VIAS," in *,file,*) ;; *) echo "VIAS must include file (the baseline)" >&2; exit 2 ;; esac
. bench/benchmarks-classpath.sh
out=$(mktemp -d)
for f in $(seq 1 "$FORKS"); do
  echo "jvm $f/$FORKS" >&2
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$CP" io.mapperd.bench.DmStackRun \
    "$ROUNDS" "$SLICE_MS" "$VIAS" $BENCHES >"$out/jvm$f.txt"
done
python3 - "$out" "$FORKS" "$ROUNDS" <<'PY'
import collections, os, statistics, sys
out, forks, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ops = collections.defaultdict(dict)  # (case, via) -> {(jvm, round): ops/s}
for f in range(1, forks + 1):
    for line in open(os.path.join(out, f"jvm{f}.txt")):
        w = line.split()
        if w and w[0] == "slice":
            ops[(w[2], w[3])][(f, int(w[1]))] = float(w[4])
print(f"{'case':<12} {'via':<18} {'median ops/s':>13}  ratio vs file: median of {forks}x{rounds} paired rounds, [each JVM's median]")
for case in ["randRead4k", "randWrite4k", "seqRead1m", "seqWrite1m"]:
    base = ops.get((case, "file"))
    if not base:
        continue
    for via in ["file", "linear", "striped", "linear-noiostats", "striped-noiostats"]:
        s = ops.get((case, via))
        if not s:
            continue
        line = f"{case:<12} {via:<18} {statistics.median(s.values()):>13.0f}"
        if via != "file":
            r = {k: s[k] / base[k] for k in s if k in base}
            per_jvm = [statistics.median(v for (j, _), v in r.items() if j == f) for f in range(1, forks + 1)]
            line += f"  {statistics.median(r.values()):.3f} [" + " ".join(f"{x:.3f}" for x in per_jvm) + "]"
        print(line)
PY
