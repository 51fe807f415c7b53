#!/usr/bin/env bash
# NVMe/TCP benchmark (issue 5): our host against target-sim over loopback, each in its own JVM.
# Cases: 4 KiB random read at QD32, 1 MiB sequential read and write at QD8, with 1 and 2 I/O
# queues. ROUNDS rounds (default 3), a fresh target per round; prints every run and the median per
# case (ops/s, MiB/s, CPU seconds per GB moved, host + target). The namespace is a 1 GiB file on
# /dev/shm. SECONDS per measurement (default 10, after a warm-up of a third of that).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS:-10}
. ./bin/jdk-env.sh
work=$(mktemp -d)
# one reactor build (nothing installed into ~/.m2): classes plus the dependency classpath
mvn -q -o -pl target-sim -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
CP="target-sim/target/classes:target-sim/target/test-classes:$(cat "$work/cp.txt")"
img=/dev/shm/mapperd-nvme-bench.img
trap 'kill $SIM 2>/dev/null || true; rm -rf "$work" "$img"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
NQN=nqn.2024-01.io.mapperd:bench
cat > "$work/sim.yaml" <<YAML
nvme:
  portals: [{id: 1, address: 127.0.0.1:$PORT}]
  subsystems:
    - nqn: $NQN
      namespaces: [{nsid: 1, file: $img, size: 1G}]
YAML
dd if=/dev/urandom of="$img" bs=1M count=1024 status=none
results="$work/results"
for r in $(seq 1 "$ROUNDS"); do
  "$JAVA_HOME/bin/java" -cp "$CP" io.mapperd.sim.nvme.NvmeSimCommands serve "$work/sim.yaml" --ctl "$work/ctl.sock" >"$work/sim.log" 2>&1 &
  SIM=$!
  for _ in $(seq 100); do [ -S "$work/ctl.sock" ] && break; sleep 0.1; done
  for q in 1 2; do
    for c in "randread4k 32" "seqread1m 8" "seqwrite1m 8"; do
      set -- $c
      line=$("$JAVA_HOME/bin/java" -cp "$CP" io.mapperd.sim.nvme.NvmeTcpBench "nvme+tcp://127.0.0.1:$PORT/$NQN/1" "$q" "$1" "$2" "$SECONDS_PER_RUN" "$SIM" 2>&1 | grep -E '^(rand|seq)')
      echo "round $r: $line" | tee -a "$results" >&2
    done
  done
  "$JAVA_HOME/bin/java" -cp "$CP" io.mapperd.sim.nvme.NvmeSimCommands ctl --ctl "$work/ctl.sock" stop || kill $SIM
  wait $SIM || true
done
python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.search(r'(\S+) queues=(\d+) qd=(\d+) ops/s=([\d.]+) MiB/s=([\d.]+) cpu_host_s=([\d.]+) cpu_target_s=([\d.]+) cpu_s_per_GB=([\d.]+)', line)
    if m:
        rows.setdefault((m[1], int(m[2]), int(m[3])), []).append((float(m[4]), float(m[5]), float(m[8])))
print(f"{'case':<12} {'queues':>6} {'qd':>3} {'ops/s':>10} {'MiB/s':>9} {'CPU s/GB':>9}   (medians of {len(next(iter(rows.values())))} rounds)")
for (case, q, qd), v in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print(f"{case:<12} {q:>6} {qd:>3} {statistics.median(x[0] for x in v):>10.0f} {statistics.median(x[1] for x in v):>9.1f} {statistics.median(x[2] for x in v):>9.2f}")
PY
