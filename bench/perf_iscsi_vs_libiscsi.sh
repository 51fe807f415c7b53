#!/bin/bash
# Our iSCSI initiator against libiscsi's iscsi-perf (a C initiator), same tgtd LUN, same run,
# interleaved rounds. Cases: 4 KiB random read QD32, 1 MiB sequential read QD8 (both tools),
# 1 MiB sequential write QD8 (ours only: Debian has no libiscsi write benchmark and its fio lacks
# the libiscsi engine). Prints per-round figures, medians and the ratio ours/iscsi-perf.
#   bench/perf_iscsi_vs_libiscsi.sh [-r ROUNDS] [-t SECONDS] [-s SIZE_MIB]
set -euo pipefail
ROUNDS=5 SECS=10 SIZE=1024 RAMP=2
while getopts "r:t:s:" o; do
  case $o in r) ROUNDS=$OPTARG ;; t) SECS=$OPTARG ;; s) SIZE=$OPTARG ;; *) echo "usage: $0 [-r ROUNDS] [-t SECONDS] [-s SIZE_MIB]" >&2; exit 2 ;; esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for p in tgtd tgtadm iscsi-perf; do command -v $p >/dev/null || { echo "$p is not installed (Debian: tgt, libiscsi-bin)" >&2; exit 1; }; done
. "$(dirname "$0")/../bin/jdk-env.sh"
WORK=$(mktemp -d /dev/shm/iscsi-bench.XXXXXX)
CP=$WORK/cp
(cd "$ROOT" && mvn -q -o -pl transports -am compile dependency:build-classpath -Dmdep.outputFile="$CP" >/dev/null)
CLASSPATH="$ROOT/transports/target/classes:$(cat "$CP")"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CTL=$((2000 + RANDOM % 30000))
IQN=iqn.2026-01.io.mapperd.bench:disk
truncate -s ${SIZE}M "$WORK/disk.img"
tgtd -f -C $CTL --iscsi portal=127.0.0.1:$PORT >"$WORK/tgtd.log" 2>&1 &
TGTD=$!
A="tgtadm -C $CTL --lld iscsi"
cleanup() {
  $A --op delete --mode target --tid 1 --force >/dev/null 2>&1 || true
  tgtadm -C $CTL --op delete --mode system >/dev/null 2>&1 || true
  wait $TGTD 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for i in $(seq 50); do tgtadm -C $CTL --op show --mode system >/dev/null 2>&1 && break; sleep 0.1; done
$A --op new --mode target --tid 1 -T $IQN
$A --op new --mode logicalunit --tid 1 --lun 1 -b "$WORK/disk.img"
$A --op bind --mode target --tid 1 -I ALL
URL=iscsi://127.0.0.1:$PORT/$IQN/1

ours() { # ours ARGS... -> IOPS
  java --enable-native-access=ALL-UNNAMED -cp "$CLASSPATH" io.mapperd.transport.iscsi.cli.IscsiCommands perf "$URL" \
    --ramp $RAMP --seconds $SECS "$@" 2>/dev/null | sed -n 's/^result .* iops=\([0-9]*\) .*/\1/p' || true
}
theirs() { # theirs ARGS... -> IOPS (mean of the per-second figures after the ramp)
  timeout -s INT $((SECS + RAMP + 1)) iscsi-perf "$@" "$URL" 2>&1 | tr '\r' '\n' \
    | grep -o 'iops current [0-9]*' | awk -v skip=$RAMP 'NR>skip {s+=$3; n++} END {if (n) printf "%d\n", s/n; else print 0}' || true
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# Fill the LUN once so reads hit data, not holes.
java --enable-native-access=ALL-UNNAMED -cp "$CLASSPATH" io.mapperd.transport.iscsi.cli.IscsiCommands perf "$URL" --write \
  --bs 1m --qd 8 --ramp 0 --seconds $((SIZE / 200 + 2)) >/dev/null 2>&1 || true

declare -A R
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then order="ours theirs"; else order="theirs ours"; fi
  for who in $order; do
    if [ $who = ours ]; then
      R[rr_ours]+="$(ours --random --bs 4k --qd 32) "
      R[sr_ours]+="$(ours --bs 1m --qd 8) "
    else
      R[rr_theirs]+="$(theirs -r -m 32 -b 8) "
      R[sr_theirs]+="$(theirs -m 8 -b 2048) "
    fi
  done
  R[sw_ours]+="$(ours --write --bs 1m --qd 8) "
  echo "round $r: 4k randread ours $(echo ${R[rr_ours]} | awk "{print \$NF}") iscsi-perf $(echo ${R[rr_theirs]} | awk "{print \$NF}")" >&2
done
med() { echo ${R[$1]} | tr ' ' '\n' | grep -v '^$' | median; }
rr_o=$(med rr_ours); rr_t=$(med rr_theirs); sr_o=$(med sr_ours); sr_t=$(med sr_theirs); sw_o=$(med sw_ours)
printf '%-28s %12s %12s %8s\n' case "ours" "iscsi-perf" "ratio"
printf '%-28s %9d IOPS %9d IOPS %8.2f\n' "4KiB randread QD32" $rr_o $rr_t "$(echo "$rr_o $rr_t" | awk '{print $2 ? $1/$2 : 0}')"
printf '%-28s %8d MiB/s %8d MiB/s %8.2f\n' "1MiB seqread QD8" $sr_o $sr_t "$(echo "$sr_o $sr_t" | awk '{print $2 ? $1/$2 : 0}')"
printf '%-28s %8d MiB/s %14s %8s\n' "1MiB seqwrite QD8" $sw_o "n/a" "n/a"
echo "rounds: $ROUNDS x ${SECS}s (+${RAMP}s ramp); raw IOPS: ${R[rr_ours]}| ${R[rr_theirs]}| ${R[sr_ours]}| ${R[sr_theirs]}| ${R[sw_ours]}"
