#!/usr/bin/env bash
# Where the multibus map's extra cost goes (issue 6): for each map (multibus, then single path; one
# JVM each), perf stat counts system calls and context switches per thread over that map's
# throughput runs only (rounds 2 on, PerfWindow), and the table gives them per I/O, by thread group:
# the initiator's event loop (nvme-tcp-host / iscsi), target-sim's loop (nvme-sim / sim-iscsi), the
# load generator (main) and target-sim's file I/O threads (file-io). Needs perf and root (tracepoints).
#   MODE=nvme SELECTOR="round-robin 0" ROUNDS=6 SECONDS_PER_RUN=2 bench/multipath-syscalls.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${MODE:-nvme}
SELECTOR=${SELECTOR:-round-robin 0}
ROUNDS=${ROUNDS:-6}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
command -v perf >/dev/null || { echo "perf is missing (apt-get install linux-perf)"; exit 2; }
. bench/benchmarks-classpath.sh
. bench/multipath-java.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
events=syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_pread64,raw_syscalls:sys_enter,sched:sched_switch
for map in multibus single; do
  mkfifo "$work/ctl-$map" "$work/ack-$map"
  multipath_java "$MODE" 0 0 -DperfCtl="$work/ctl-$map" -DperfAck="$work/ack-$map" -DperfMap=$map >"$work/out-$map" 2>"$work/err-$map" &
  run=$! # the subshell running the function; perf attaches to its java
  # attach once the loops exist (perf stat -p counts threads started later under their creator)
  for _ in $(seq 100); do
    grep -q "multibus table" "$work/out-$map" 2>/dev/null && break
    sleep 0.2
  done
  pid=$(pgrep -o -P $run java)
  perf stat --per-thread -x, -p $pid -D -1 --control fifo:"$work/ctl-$map","$work/ack-$map" -o "$work/stat-$map" -e "$events" 2>"$work/perf-$map" &
  wait $run || { echo "$map run failed:"; tail -5 "$work/err-$map"; exit 1; }
  wait $! || { echo "perf stat failed:"; grep -v "^Events" "$work/perf-$map"; exit 1; }
done
python3 - "$work" "$MODE" "$SELECTOR" <<'PY'
import collections, re, sys
work, mode, selector = sys.argv[1:]
def group(thread):
    name = re.sub(r"-\d+$", "", thread)  # perf appends the tid
    for g in ("nvme-tcp-host", "iscsi", "nvme-sim", "sim-iscsi", "file-io-monitor", "file-io"):
        if name.startswith(g):
            return g
    return "main" if name == "java" else None
def load(m):
    ios = int(re.search(r"perf window \(\w+\): (\d+) I/Os", open(f"{work}/out-{m}").read()).group(1))
    counts = collections.Counter()
    for line in open(f"{work}/stat-{m}"):
        f = line.strip().split(",")
        if len(f) < 4 or not f[1].replace(".", "").isdigit():
            continue
        g = group(f[0])
        if g:
            counts[(g, f[3].split(":")[-1].replace("sys_enter_", ""))] += float(f[1])
    return ios, counts
(mi, mc), (si, sc) = load("multibus"), load("single")
print(f"{mode}, {selector}: per I/O, multibus / single ({mi} / {si} I/Os counted)\n")
events = ["writev", "write", "recvfrom", "sendto", "epoll_pwait2", "futex", "pread64", "sys_enter", "sched_switch"]
print("| thread | " + " | ".join("syscalls" if e == "sys_enter" else e for e in events) + " |")
print("|---|" + "---|" * len(events))
for g in ("nvme-tcp-host", "iscsi", "nvme-sim", "sim-iscsi", "main", "file-io"):
    if any(k[0] == g for k in list(mc) + list(sc)):
        print(f"| {g} | " + " | ".join(f"{mc[(g, e)] / mi:.3f} / {sc[(g, e)] / si:.3f}" for e in events) + " |")
PY
