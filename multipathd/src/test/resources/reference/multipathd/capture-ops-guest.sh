#!/bin/sh
# operators helper: capture multipathd 0.9.4 command outputs over the guest's own iSCSI LUN
OUT=/share/ops-capture; rm -rf $OUT; mkdir -p $OUT
n=0
c() { n=$((n+1)); f=$(printf '%02d' $n); echo "$*" > $OUT/$f.cmd; "$@" > $OUT/$f.out 2> $OUT/$f.err; echo $? > $OUT/$f.rc; }
unset DM_DISABLE_UDEV
pidof systemd-udevd >/dev/null || { /lib/systemd/systemd-udevd --daemon; udevadm trigger; udevadm settle -t 20; }
for m in iscsi_tcp sd_mod scsi_dh_alua dm-multipath dm-round-robin dm-service-time; do modprobe $m; done
mkdir -p /run/lock/iscsi
[ -s /etc/iscsi/initiatorname.iscsi ] || echo "InitiatorName=iqn.2024-01.io.refvm:guest" > /etc/iscsi/initiatorname.iscsi
pidof iscsid >/dev/null || iscsid
iscsiadm -m node -o delete >/dev/null 2>&1
iscsiadm -m node -o new -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:3260,1 >/dev/null
iscsiadm -m node -o new -T iqn.2024-01.io.refvm:tgt1 -p 127.0.0.1:3261,2 >/dev/null
iscsiadm -m node -L all >/dev/null 2>&1
udevadm settle -t 20
printf 'defaults {\n  user_friendly_names yes\n  find_multipaths off\n}\n' > /etc/multipath.conf
pidof multipathd >/dev/null || multipathd
sleep 3; multipath -v2 >/dev/null 2>&1; udevadm settle -t 20
for i in $(seq 1 30); do [ "$(multipath -ll | grep -c 'policy=')" -ge 2 ] && break; sleep 1; done
sleep 2
c multipath -ll
c multipathd show topology
c multipathd show paths
c multipathd show maps
c multipathd show maps json
c multipathd show map mpatha json
c multipathd show map mpatha topology
c multipathd show maps status
c multipathd show maps stats
c multipathd show maps topology
c multipathd show paths format "%w %i %d %D %p %t %T %s %o %c %C %S %z %M %m %N %n %R %r %a %G %0 %P %I %L"
c multipathd show paths raw format "%d|%D|%t|%T"
c multipathd show maps format "%n %w %d %F %Q %N %r %t %S %f %x %h %A %0 %1 %2 %3 %4 %s %v %p %e %G %g"
c multipathd show maps raw format "%n %d %w"
c multipathd show map mpatha format "%n %d %S"
c multipathd show path sdb
c multipathd show status
c multipathd show wildcards
c multipathd show daemon
c multipathd list multipaths
c multipathd sh pa
c multipathd foo
c multipathd show foo
c multipathd show
c multipathd show map
c multipathd show map nosuch topology
c multipathd fail path sdb
sleep 1
c multipathd show paths
c multipath -ll
c multipathd show maps json
c multipathd reinstate path sdb
c multipathd fail path nosuch
c multipathd switchgroup map mpatha group 2
sleep 1
c multipath -ll
c multipathd switchgroup map mpatha group 1
c multipathd disablequeueing map mpatha
c multipathd show maps format "%n %Q"
c multipathd restorequeueing map mpatha
c multipathd show maps format "%n %Q"
c multipathd suspend map mpatha
c multipathd show maps format "%n %t"
c multipathd resume map mpatha
c multipathd reload map mpatha
c multipathd reset map mpatha
c multipathd reconfigure
c multipathd show paths format %d
c multipathd del path nosuch
c multipathd add path nosuch
c multipathd switchgroup map mpatha
c multipathd help
c multipathd show config local
c multipathd quit
c multipathd show paths format "%d %t %X %%"
c multipathd -k"show maps"
sleep 3
c multipathd show maps stats
c multipathd show status
# tear down
multipathd shutdown >/dev/null 2>&1; sleep 2
multipath -F >/dev/null 2>&1
iscsiadm -m node -U all >/dev/null 2>&1
iscsiadm -m node -o delete >/dev/null 2>&1
rm -f /etc/multipath.conf
echo done $n
