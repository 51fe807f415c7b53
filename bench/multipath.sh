#!/usr/bin/env bash
# Multipath figures (issue 6), unattended: for each MODE (iscsi: target-sim iSCSI portals; nvme:
# target-sim NVMe/TCP ports; switch: file paths with a fault switch), the failover stall when the
# active path of a 2-path failover map is killed by a TCP reset (KILLS times) and by a silent hang
# (HANG_KILLS times, iscsi/nvme only, found by the transport's timeouts, all TIMEOUT_MS), then
# 4 KiB random-read throughput of a 2-path multibus map vs a 1-path map, ROUNDS interleaved rounds
# of SECONDS_PER_RUN each. Prints a markdown summary table per mode.
#   MODE="iscsi nvme" KILLS=100 HANG_KILLS=10 TIMEOUT_MS=1000 ROUNDS=5 SECONDS_PER_RUN=3 SIZE_MIB=256 bench/multipath.sh
# KILLS=0 HANG_KILLS=0 runs the throughput part alone. Each throughput round also prints the whole
# process's CPU, context switches and read/write syscalls per I/O for either map (from /proc); for
# perf's counts over one map's runs only, see PerfWindow (-DperfCtl/-DperfAck/-DperfMap).
# SELECTOR (default "service-time 0", multipathd's default path_selector, so the multibus map is the
# one multipathd builds for path_grouping_policy multibus) is the throughput maps' path selector, e.g.
# "round-robin 0" or "queue-length 0". SIM_LOOPS (default 2, target-sim's own default) is how many
# event loops target-sim serves its connections with. iSCSI connections take them in turn, so with 2
# the two paths' connections run on two target loops, which on 2 shared cores costs the multibus map
# CPU that is the target's, not the map's (bench/RESULTS-multipath.md, session 3); NVMe/TCP I/O queues
# share a loop per subsystem and queue id (session 5). SIM_LOOPS=1 takes the target's loops out of the
# comparison for both.
# FORKS (default 1) > 1 runs the throughput part again in FORKS-1 more JVMs (without kills) and prints
# the median of every JVM's per-round ratios with each JVM's median: a JVM's figures move together (the
# code the JIT made for it), so one JVM's rounds, however many, do not average that out.
# LOAD (default steady) is the throughput load: steady keeps 32 reads in flight, each completion
# replaced at once (as fio's iodepth=32); batch submits 32, waits for all, and again (sessions 1-3).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${MODE:-iscsi nvme}
KILLS=${KILLS:-100}
HANG_KILLS=${HANG_KILLS:-10}
FORKS=${FORKS:-1}
. bench/benchmarks-classpath.sh
. bench/multipath-java.sh
rc=0
bench() { # mode kills hangKills
  # warnings (a failed login, a lost path) go to stderr, so a failed mode says why
  multipath_java "$1" "$2" "$3" 2>"${TMPDIR:-/tmp}/multipath-bench-$1.log"
}
for m in $MODE; do
  echo "=== MODE=$m"
  out=$(mktemp)
  bench "$m" "$KILLS" "$HANG_KILLS" | tee "$out" \
    || { rc=$?; echo "MODE=$m failed (rc $rc); its warnings: ${TMPDIR:-/tmp}/multipath-bench-$m.log"; tail -5 "${TMPDIR:-/tmp}/multipath-bench-$m.log"; continue; }
  for f in $(seq 2 "$FORKS"); do
    echo "--- MODE=$m throughput, JVM $f/$FORKS"
    echo "=== jvm $f" >>"$out"
    bench "$m" 0 0 | grep -E "^  round [0-9]+:" | tee -a "$out" \
      || { rc=$?; echo "MODE=$m JVM $f failed (rc $rc)"; tail -5 "${TMPDIR:-/tmp}/multipath-bench-$m.log"; }
  done
  if [ "$FORKS" -gt 1 ]; then
    python3 - "$out" "$m" "$SELECTOR" <<'PY'
import re, statistics, sys
jvms, cur = [], []
for line in open(sys.argv[1]):
    if line.startswith("=== jvm"):
        jvms.append(cur); cur = []
    m = re.match(r"  round \d+: multibus 2 paths (\d+) IOPS, 1 path (\d+) IOPS, ratio", line)
    if m:
        cur.append(int(m.group(1)) / int(m.group(2)))
jvms.append(cur)
allr = [r for j in jvms for r in j]
print(f"\n{sys.argv[2]}, {sys.argv[3]}: multibus/single over {len(jvms)} JVMs, {len(allr)} rounds: median {statistics.median(allr):.3f};"
      " each JVM's median: " + " ".join(f"{statistics.median(j):.3f}" for j in jvms if j))
PY
  fi
  rm -f "$out"
done
exit $rc
