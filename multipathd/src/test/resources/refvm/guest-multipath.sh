#!/bin/sh
# Runs in the reference VM (tools/refvm): the guest as an initiator of its own LIO LUN (ALUA, portals
# 3260/3261) and nvmet namespace (ANA, ports 4420/4421), with the real multipathd over both, so that
# mapperd's daemon can be compared with it. Idempotent; every step can be repeated.
#   guest-multipath.sh up CONF   log in to both portals and ports, start multipathd with CONF as
#                                /etc/multipath.conf, wait until both maps have two path groups
#   guest-multipath.sh show      what multipathd built: paths, topology, tables, status, path ports
#   guest-multipath.sh read-maps   one read through each multipath map (so pg_init has run), then show
#   guest-multipath.sh io-start NAME / io-stop   a background reader on the guest's map NAME
#   guest-multipath.sh down      stop multipathd, remove its maps, log out, disconnect, unload nvme
# NVMe: native NVMe multipath is turned off (nvme_core multipath=N, loaded here) so that the
# namespace's two controllers are two block devices that multipathd maps like SCSI paths.
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
unset DM_DISABLE_UDEV
IQN=iqn.2024-01.io.refvm:tgt1
NQN=nqn.2024-01.io.refvm:nvme1
HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000c0de
MARK=/run/refvm-mp-nvme-loaded

maps_ready() {  # both maps present, each with two groups
	[ "$(multipath -ll 2>/dev/null | grep -c 'policy=')" -ge 4 ]
}

up() {
	pidof systemd-udevd >/dev/null || { /lib/systemd/systemd-udevd --daemon; udevadm trigger; udevadm settle -t 20; }
	for m in iscsi_tcp sd_mod scsi_dh_alua dm-multipath dm-round-robin dm-service-time dm-queue-length; do modprobe $m; done
	if ! [ -d /sys/module/nvme_core ]; then
		modprobe nvme_core multipath=N && touch $MARK
	elif [ "$(cat /sys/module/nvme_core/parameters/multipath)" = Y ]; then
		if [ -z "$(ls /sys/class/nvme 2>/dev/null)" ]; then
			modprobe -r nvme_tcp nvme_fabrics nvme_core 2>/dev/null
			modprobe nvme_core multipath=N && touch $MARK
		else
			echo "REFVM-MP-ERROR nvme_core runs native multipath with controllers connected: $(ls /sys/class/nvme)"
		fi
	fi
	modprobe nvme_tcp
	mkdir -p /run/lock/iscsi /etc/iscsi
	[ -s /etc/iscsi/initiatorname.iscsi ] || echo "InitiatorName=iqn.2024-01.io.refvm:guest" > /etc/iscsi/initiatorname.iscsi
	pidof iscsid >/dev/null || iscsid
	for p in 3260,1 3261,2; do
		iscsiadm -m node -T $IQN -p 127.0.0.1:$p >/dev/null 2>&1 || iscsiadm -m node -o new -T $IQN -p 127.0.0.1:$p >/dev/null
		# a lost portal fails its I/O after 5 s, as fast_io_fail_tmo asks of FC (the default is 120 s)
		iscsiadm -m node -T $IQN -p 127.0.0.1:$p -o update -n node.session.timeo.replacement_timeout -v 5 >/dev/null
	done
	iscsiadm -m session 2>/dev/null | grep -q ':3260,' || iscsiadm -m node -T $IQN -p 127.0.0.1:3260 -l >/dev/null
	iscsiadm -m session 2>/dev/null | grep -q ':3261,' || iscsiadm -m node -T $IQN -p 127.0.0.1:3261 -l >/dev/null
	for s in 4420 4421; do
		grep -qs "trsvcid=$s" /sys/class/nvme/nvme*/address ||
			nvme connect -t tcp -a 127.0.0.1 -s $s -n $NQN --hostnqn $HOSTNQN --reconnect-delay=2 >/dev/null
	done
	# I/O on a controller that is reconnecting fails after 5 s (instead of waiting out ctrl_loss_tmo)
	for c in /sys/class/nvme/nvme*; do
		[ -e $c/fast_io_fail_tmo ] && echo 5 > $c/fast_io_fail_tmo
	done
	udevadm settle -t 20
	cp "$1" /etc/multipath.conf
	if pidof multipathd >/dev/null; then multipathd reconfigure >/dev/null; else multipathd; fi
	for i in $(seq 1 60); do maps_ready && break; sleep 1; done
	maps_ready && echo REFVM-MP-UP || { echo "REFVM-MP-ERROR maps not ready"; multipath -ll; }
}

show() {
	echo "== paths"; multipathd show paths format "%d %D %w %t %T %o %p %s %P"
	echo "== maps"; multipathd show maps format "%w %F"
	echo "== topology"; multipath -ll
	echo "== table"; dmsetup table --target multipath
	echo "== status"; dmsetup status --target multipath
	echo "== ports"
	for d in /sys/block/sd*; do
		[ -e "$d/device" ] || continue
		s=$(readlink -f $d/device | grep -o 'session[0-9]*' | head -1)
		[ -n "$s" ] || continue
		echo "$(basename $d) $(cat $d/dev) $(cat /sys/class/iscsi_connection/connection${s#session}:0/persistent_port)"
	done
	for d in /sys/block/nvme*n*; do
		[ -e "$d" ] || continue
		c=$(basename $(readlink -f $d/device))
		echo "$(basename $d) $(cat $d/dev) $(sed -n 's/.*trsvcid=\([0-9]*\).*/\1/p' /sys/class/nvme/$c/address)"
	done
	echo "== end"
}

down() {
	rm -f /run/mapperd-refvm-io
	pidof multipathd >/dev/null && { multipathd shutdown >/dev/null 2>&1; sleep 1; }
	p=$(pidof multipathd) && kill $p
	multipath -F >/dev/null 2>&1
	iscsiadm -m node -T $IQN -u >/dev/null 2>&1
	iscsiadm -m node -o delete -T $IQN >/dev/null 2>&1
	nvme disconnect -n $NQN >/dev/null 2>&1
	if [ -e $MARK ] && [ -z "$(ls /sys/class/nvme 2>/dev/null)" ]; then
		modprobe -r nvme_tcp nvme_fabrics nvme_core 2>/dev/null && rm -f $MARK
	fi
	rm -f /etc/multipath.conf
	echo REFVM-MP-DOWN
}

# io-start NAME: reads one block of /dev/mapper/NAME with O_DIRECT three times a second, in the
# background, so that the guest's kernel sees a lost path on I/O as well as by its checker
io_start() {
	touch /run/mapperd-refvm-io
	setsid sh -c "while [ -e /run/mapperd-refvm-io ]; do dd if=/dev/mapper/$1 of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; sleep 0.3; done" </dev/null >/dev/null 2>&1 &
	echo REFVM-MP-IO
}

case "$1" in
up) up "$2"; show;;
io-start) io_start "$2";;
read-maps) for n in $(dmsetup ls --target multipath | cut -f1); do dd if=/dev/mapper/$n of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; done; show;;
io-stop) rm -f /run/mapperd-refvm-io; echo REFVM-MP-IO-STOPPED;;
show) show;;
down) down;;
*) echo "usage: $0 up CONF | show | io-start NAME | io-stop | down" >&2; exit 2;;
esac
