#!/usr/bin/env bash
# I/O accounting overhead benchmark (issue 9): 4 KiB random read/write at QD32 through a linear
# and a one-path multipath map with iostats on and off (JMH IoStatsBenchmark). Runs ROUNDS rounds
# (default 5), each measuring all four combinations in turn, so on and off are interleaved in
# time. Prints per-case medians and the median over rounds of the per-round ratio on/off; then one
# run with JMH's gc profiler: bytes allocated per operation with accounting on and off.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
. bench/benchmarks-classpath.sh
out=$(mktemp -d); echo "raw results in $out" >&2
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  # odd rounds measure accounting on first, even rounds off first, so neither always runs later
  if (( r % 2 )); then order=on,off; else order=off,on; fi
  "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main IoStatsBenchmark -p iostats=$order \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -tu s -bm thrpt -rf csv -rff "$out/round$r.csv" >"$out/round$r.log" 2>&1 \
    || { cat "$out/round$r.log" >&2; exit 1; }
done
echo "record cost" >&2
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main IoStatsRecordBenchmark \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -rf csv -rff "$out/record1.csv" >"$out/record1.log" 2>&1 \
  || { cat "$out/record1.log" >&2; exit 1; }
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main IoStatsRecordBenchmark \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -t 2 -rf csv -rff "$out/record2.csv" >"$out/record2.log" 2>&1 \
  || { cat "$out/record2.log" >&2; exit 1; }
echo "gc profile" >&2
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main IoStatsBenchmark \
  -f 1 -wi 2 -w 1s -i 3 -r 1s -tu s -bm thrpt -prof gc -rf csv -rff "$out/gc.csv" >"$out/gc.log" 2>&1 \
  || { cat "$out/gc.log" >&2; exit 1; }
python3 - "$out" "$ROUNDS" <<'PY'
import csv, statistics, sys, os
out, rounds = sys.argv[1], int(sys.argv[2])
data = {}  # (bench, map, iostats) -> [ops/s per round]
for r in range(1, rounds + 1):
    with open(os.path.join(out, f"round{r}.csv")) as f:
        for row in csv.DictReader(f):
            bench = row["Benchmark"].rsplit(".", 1)[1]
            data.setdefault((bench, row["Param: map"], row["Param: iostats"]), []).append(float(row["Score"]))
alloc = {}
with open(os.path.join(out, "gc.csv")) as f:
    for row in csv.DictReader(f):
        if row["Benchmark"].endswith("gc.alloc.rate.norm"):
            bench = row["Benchmark"].split(":")[0].rsplit(".", 1)[1]
            alloc[(bench, row["Param: map"], row["Param: iostats"])] = float(row["Score"])
print(f"{'case':<12} {'map':<10} {'on ops/s':>10} {'off ops/s':>10} {'ratio on/off':>13} {'B/op on':>8} {'B/op off':>9}   (medians of {rounds} rounds)")
for bench in ["randRead4k", "randWrite4k"]:
    for m in ["linear", "multipath"]:
        on, off = data[(bench, m, "on")], data[(bench, m, "off")]
        ratio = statistics.median(a / b for a, b in zip(on, off))
        print(f"{bench:<12} {m:<10} {statistics.median(on):>10.0f} {statistics.median(off):>10.0f} {ratio:>13.3f}"
              f" {alloc.get((bench, m, 'on'), float('nan')):>8.0f} {alloc.get((bench, m, 'off'), float('nan')):>9.0f}")
for t in (1, 2):
    with open(os.path.join(out, f"record{t}.csv")) as f:
        rec = {row["Benchmark"].rsplit(".", 1)[1]: float(row["Score"]) for row in csv.DictReader(f)}
    print(f"accounting cost per bio, {t} thread(s): record {rec['record']:.1f} ns, baseline {rec['baseline']:.1f} ns,"
          f" difference {rec['record'] - rec['baseline']:.1f} ns")
print("per-round ratios on/off:")
for bench in ["randRead4k", "randWrite4k"]:
    for m in ["linear", "multipath"]:
        on, off = data[(bench, m, "on")], data[(bench, m, "off")]
        print(f"  {bench} {m}: " + " ".join(f"{a / b:.3f}" for a, b in zip(on, off)))
PY
