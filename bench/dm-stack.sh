#!/usr/bin/env bash
# dm-core overhead benchmark (issue 2): 4 KiB random read/write at QD32 and 1 MiB sequential
# read/write at QD8 through linear and striped mapped devices vs the same file directly (JMH).
# Runs ROUNDS rounds (default 5); each round measures file, linear and striped in turn, so the
# three are interleaved in time. Prints per-round ops/s and the median ratio device/file per case.
# VIAS (default file,linear,striped) picks the devices; linear-noiostats and striped-noiostats are the
# same devices with I/O accounting off. BENCHES (default all four) picks the cases, e.g.
#   ROUNDS=7 VIAS=file,linear-noiostats,striped-noiostats BENCHES="randRead4k randWrite4k" bench/dm-stack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
VIAS=${VIAS:-file,linear,striped}
BENCHES=${BENCHES:-randRead4k randWrite4k seqRead1m seqWrite1m}
PATTERN="DmStackBenchmark\.($(echo $BENCHES | tr ' ' '|'))\$"
. ./bin/jdk-env.sh
mvn -q -DskipTests -pl benchmarks -am package
CP="benchmarks/target/classes:$(ls benchmarks/target/lib/*.jar | tr '\n' ':')"
out=$(mktemp -d)
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main "$PATTERN" -p via="$VIAS" \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -tu s -bm thrpt -rf csv -rff "$out/round$r.csv" >"$out/round$r.log" 2>&1 \
    || { cat "$out/round$r.log" >&2; exit 1; }
done
python3 - "$out" "$ROUNDS" <<'PY'
import csv, statistics, sys, os
out, rounds = sys.argv[1], int(sys.argv[2])
data = {}  # (bench, via) -> [score per round]
for r in range(1, rounds + 1):
    with open(os.path.join(out, f"round{r}.csv")) as f:
        for row in csv.DictReader(f):
            bench = row["Benchmark"].rsplit(".", 1)[1]
            data.setdefault((bench, row["Param: via"]), []).append(float(row["Score"]))
print(f"{'case':<12} {'via':<17} {'median ops/s':>14}   ratio vs file (median of {rounds} rounds)")
for bench in ["randRead4k", "randWrite4k", "seqRead1m", "seqWrite1m"]:
    base = data.get((bench, "file"))
    for via in ["file", "linear", "striped", "linear-noiostats", "striped-noiostats"]:
        s = data.get((bench, via))
        if not s:
            continue
        ratio = "" if via == "file" else f"{statistics.median(a / b for a, b in zip(s, base)):.3f}"
        print(f"{bench:<12} {via:<17} {statistics.median(s):>14.0f}   {ratio}")
PY
