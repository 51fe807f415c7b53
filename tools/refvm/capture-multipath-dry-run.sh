#!/bin/sh
# Runs IN the reference VM guest (copy it to $REFVM_DIR/share, then
# `tools/refvm/build-refvm.sh exec 'sh /share/h2/capture-multipath-dry-run.sh'`).
# Captures what Debian's multipath(8) 0.9.4 prints for a dry run (`multipath -d -v2`, `-v3`)
# over the guest's own LIO LUN seen through two iSCSI sessions (portals 3260/ALUA AO and
# 3261/ALUA ANO), plus the sysfs attributes of those paths, into /share/h2/capture.
# It runs only on an idle guest and leaves it as it found it: its sessions logged out, its node
# records, /etc/multipath.conf and the bindings file removed, udevd and iscsid stopped when this
# script started them.
# The guest is shared: it refuses to run while anyone else uses its initiator side (iSCSI sessions,
# NVMe controllers, multipathd, an /etc/multipath.conf), since it logs in and out itself.
if iscsiadm -m session >/dev/null 2>&1 || pidof multipathd >/dev/null || [ -e /etc/multipath.conf ] ||
	[ -n "$(ls /sys/class/nvme 2>/dev/null)" ]; then
	echo "REFVM-CAPTURE-BUSY: the guest's initiator is in use (iSCSI sessions, NVMe, multipathd or /etc/multipath.conf); try again when it is idle"
	exit 1
fi
OUT=/share/h2/capture; rm -rf $OUT; mkdir -p $OUT
c() { f=$1; shift; echo "$*" > $OUT/$f.cmd; "$@" > $OUT/$f.out 2> $OUT/$f.err; echo $? > $OUT/$f.rc; }
unset DM_DISABLE_UDEV
started_udevd=0; started_iscsid=0
pidof systemd-udevd >/dev/null || { /lib/systemd/systemd-udevd --daemon; started_udevd=1; udevadm trigger; udevadm settle -t 20; }
for m in iscsi_tcp sd_mod scsi_dh_alua dm-multipath dm-round-robin dm-service-time; do modprobe $m; done
mkdir -p /run/lock/iscsi
pidof iscsid >/dev/null || { iscsid; started_iscsid=1; }
iscsiadm -m node -o new -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:3260,1 >/dev/null
iscsiadm -m node -o new -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:3261,2 >/dev/null
for p in 3260 3261; do iscsiadm -m node -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:$p -l >/dev/null 2>&1; done
udevadm settle -t 20
# scsi_dh_alua fills access_state asynchronously
for i in $(seq 1 20); do
	n=0; for d in /sys/block/sd*; do grep -q active $d/device/access_state 2>/dev/null && n=$((n+1)); done
	[ $n -ge 2 ] && break; sleep 1
done
iscsiadm -m session > $OUT/sessions.txt 2>&1
for d in /sys/block/sd*; do
	b=$(basename $d); s=$(readlink -f $d/device)
	{
		echo "block $b -> $(readlink -f $d)"
		for a in dev size; do echo "$a $(cat $d/$a)"; done
		for a in vendor model rev state access_state preferred_path dh_state wwid; do printf '%s [%s]\n' $a "$(cat $s/$a 2>/dev/null)"; done
		for a in vpd_pg80 vpd_pg83; do echo "$a $(od -An -v -tx1 $s/$a | tr -d ' \n')"; done
		echo "udev $(udevadm info -q property $d | grep -E '^(ID_SERIAL|ID_WWN|SCSI_IDENT_LUN_NAA_REGEXT|ID_SCSI_SERIAL)=' | tr '\n' ' ')"
	} > $OUT/sysfs-$b.txt
done
for s in /sys/class/iscsi_session/session*; do echo "$(basename $s) $(readlink -f $s) $(cat $s/targetname) tpgt=$(cat $s/tpgt)"; done > $OUT/sysfs-sessions.txt
for c in /sys/class/iscsi_connection/connection*; do echo "$(basename $c) $(cat $c/persistent_address):$(cat $c/persistent_port)"; done > $OUT/sysfs-connections.txt
printf 'defaults {\n\tuser_friendly_names yes\n\tfind_multipaths off\n}\n' > /etc/multipath.conf
cp /etc/multipath.conf $OUT/multipath.conf
c v2 multipath -d -v2 -b /tmp/h2-bindings
rm -f /tmp/h2-bindings
c v3 multipath -d -v3 -b /tmp/h2-bindings
rm -f /tmp/h2-bindings
# a WWID argument limits the run to that map; a device argument to the map of that path
W=$(grep -o 'ID_SERIAL=[^ ]*' $OUT/sysfs-sda.txt | cut -d= -f2)
c wwid multipath -d -v2 -b /tmp/h2-bindings "$W"
rm -f /tmp/h2-bindings
c dev multipath -d -v2 -b /tmp/h2-bindings /dev/sda
rm -f /tmp/h2-bindings
# the built-in find_multipaths (strict) and no user_friendly_names: nothing to create without the wwids file
printf 'defaults {\n\tfind_multipaths strict\n}\n' > /etc/multipath.conf
c strict multipath -d -v2 -b /tmp/h2-bindings
rm -f /tmp/h2-bindings /etc/multipath.conf
for p in 3260,1 3261,2; do
	iscsiadm -m node -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:$p -u >/dev/null 2>&1
	iscsiadm -m node -o delete -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:$p >/dev/null 2>&1
done
udevadm settle -t 20
[ $started_iscsid = 1 ] && kill $(pidof iscsid)
[ $started_udevd = 1 ] && kill $(pidof systemd-udevd)
echo "captured into $OUT; sessions now: $(iscsiadm -m session 2>&1 | head -1)"
