#!/bin/bash
# capture-dm-guest.sh - runs INSIDE the reference VM (copied to /share and started by
# capture-dm-fixtures.sh through `build-refvm.sh exec`). Creates loop devices and
# device-mapper devices with the real dmsetup/kernel and records, for every command,
# its stdout (.out), stderr (.err) and exit code (.rc) separately; for commands that
# change kernel state (create/load/message/remove/...) also the kernel log they
# produced (.dmesg: `dmesg -C` before, `dmesg -t` after).
# Output: $OUT/<case>/NN-<slug>.{out,err,rc[,dmesg]}, $OUT/<case>/commands.tsv
# (NN-slug TAB bash-quoted command, in execution order), $OUT/.cases (case TAB about).
set -u
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin DM_DISABLE_UDEV=1 HOME=/root TERM=dumb
unset LANG LANGUAGE LC_ALL LC_CTYPE LC_MESSAGES
OUT=${1:-/share/capture/dmsetup}
IMGDIR=/tmp
rm -rf "$OUT"; mkdir -p "$OUT"; : > "$OUT/.cases"
CASE= ; N=0

begin() { CASE=$1; N=0; mkdir -p "$OUT/$CASE"; : > "$OUT/$CASE/commands.tsv"
	printf '%s\t%s\n' "$1" "$2" >> "$OUT/.cases"; echo "capture: case $CASE" ; }

mkslug() {
	local s
	case "$1 ${2:-}" in
	"dmsetup create"|"dmsetup load") s="$2_$3";;
	*) s="$*";;
	esac
	s=${s#dmsetup }
	s=$(printf '%s' "$s" | tr -c 'A-Za-z0-9.-' '_' | tr -s '_' | sed 's/^_//;s/_$//')
	printf '%s' "${s:0:60}"
}

# r [-s SLUG] CMD...   run and record stdout/stderr/rc
# k [-s SLUG] CMD...   same, and record the kernel log lines it produced
# shell-quote one word for commands.tsv: bare if safe, $'..\n..' if it has newlines, else '...'
quote1() {
	local a=$1
	if [[ $a =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then printf '%s' "$a"
	elif [[ $a == *$'\n'* ]]; then printf "\$'%s'" "${a//$'\n'/\\n}"
	else printf "'%s'" "$a"; fi
}
RC=0
_run() {
	local withk=$1 slug=; shift
	if [ "$1" = -s ]; then slug=$2; shift 2; else slug=$(mkslug "$@"); fi
	N=$((N + 1))
	local base; base=$(printf '%02d-%s' $N "$slug")
	local f=$OUT/$CASE/$base
	echo "  $base"        # progress (also keeps the exec connection from idling out)
	[ "$withk" = 1 ] && dmesg -C
	"$@" > "$f.out" 2> "$f.err"; RC=$?
	echo $RC > "$f.rc"
	[ "$withk" = 1 ] && { sleep 0.2; dmesg -t > "$f.dmesg"; }
	local q= a
	for a in "$@"; do q="$q${q:+ }$(quote1 "$a")"; done
	printf '%s\t%s\n' "$base" "$q" >> "$OUT/$CASE/commands.tsv"
	return 0
}
r() { _run 0 "$@"; }
k() { _run 1 "$@"; }

# the standard set of queries, run on every case; args: the case's device names
std() {
	r dmsetup table
	r dmsetup status
	local d; for d in "$@"; do r dmsetup info "$d"; done
	r dmsetup info -c
	r dmsetup ls
	r dmsetup ls --tree
	r dmsetup ls --target linear
	r dmsetup deps
	r dmsetup table --target striped
	r dmsetup status --target zero
}
# rm_all NAME...: remove (recorded), in the given order
rm_all() { local d; for d in "$@"; do k dmsetup remove "$d"; done; r dmsetup ls; }
# rej SLUG TABLE: a table expected to be rejected (create x); if the kernel accepts it
# after all, record its table and remove it again
rej() {
	k -s "reject-$1" dmsetup create x --table "$2"
	if [ "$RC" = 0 ]; then r dmsetup table x; r dmsetup status x; k dmsetup remove x; fi
}

########################################################################## global
begin global "dm-mod loaded, no devices, no loop devices attached yet"
k modprobe dm-mod
r uname -r
r dmsetup version
r dmsetup targets
r dmsetup ls
r dmsetup ls --tree
r dmsetup table
r dmsetup status
r dmsetup info
r dmsetup info -c
r dmsetup deps
r dmsetup info nox
r dmsetup table nox
r dmsetup status nox
k dmsetup remove nox

begin setup "backing files and loop devices, used by all later cases"
r truncate -s 64M $IMGDIR/a.img
r truncate -s 64M $IMGDIR/b.img
r truncate -s 64M $IMGDIR/c.img
r truncate -s 64M $IMGDIR/d.img
k losetup -f $IMGDIR/a.img
k losetup -f $IMGDIR/b.img
k losetup -f $IMGDIR/c.img
k losetup -f -b 4096 $IMGDIR/d.img
r -s losetup_-l losetup -l -O NAME,MAJ:MIN,SIZELIMIT,OFFSET,LOG-SEC,BACK-FILE
for l in loop0 loop1 loop2 loop3; do r -s blockdev_$l blockdev --getsz --getss --getpbsz /dev/$l; done

########################################################################## cases
begin linear "a: one linear segment; b: two linear segments on loop0 and loop1"
k dmsetup create a --table '0 8192 linear /dev/loop0 0'
k dmsetup create b --table '0 4096 linear /dev/loop0 0
4096 4096 linear /dev/loop1 2048'
std a b
r dmsetup table --showkeys
r dmsetup table a
r dmsetup table b
r dmsetup status b
r dmsetup deps a
r dmsetup ls --target zero
rm_all a b

begin striped "s2: 2 stripes chunk 128; s3: 3 stripes chunk 64"
k dmsetup create s2 --table '0 16384 striped 2 128 /dev/loop0 0 /dev/loop1 0'
k dmsetup create s3 --table '0 24576 striped 3 64 /dev/loop0 0 /dev/loop1 0 /dev/loop2 0'
std s2 s3
rm_all s2 s3

begin zero_error "z: zero; e: error"
k dmsetup create z --table '0 8192 zero'
k dmsetup create e --table '0 8192 error'
std z e
rm_all z e

begin unstriped "s: striped 2x128 over loop0+loop1; u0/u1: unstriped stripe 0 and 1 of s"
k dmsetup create s --table '0 16384 striped 2 128 /dev/loop0 0 /dev/loop1 0'
k dmsetup create u0 --table '0 8192 unstriped 2 128 0 /dev/mapper/s 0'
k dmsetup create u1 --table '0 8192 unstriped 2 128 1 /dev/mapper/s 0'
std s u0 u1
rm_all u0 u1 s

begin delay "d: 3-arg delay; d6: read + write/flush delay (6 args); d9: read, write, flush delays (9 args)"
k dmsetup create d --table '0 8192 delay /dev/loop0 0 100'
k dmsetup create d6 --table '0 8192 delay /dev/loop0 0 50 /dev/loop1 0 100'
k dmsetup create d9 --table '0 8192 delay /dev/loop0 0 50 /dev/loop1 0 100 /dev/loop2 0 150'
std d d6 d9
rm_all d d6 d9

begin flakey "f: up 10 down 5; feature variants (fer/frr/frw may be refused by 6.1)"
k dmsetup create f --table '0 8192 flakey /dev/loop0 0 10 5'
k dmsetup create fdw --table '0 8192 flakey /dev/loop0 0 10 5 1 drop_writes'
k dmsetup create few --table '0 8192 flakey /dev/loop0 0 10 5 1 error_writes'
k dmsetup create fer --table '0 8192 flakey /dev/loop0 0 10 5 1 error_reads'
k dmsetup create fc --table '0 8192 flakey /dev/loop0 0 10 5 5 corrupt_bio_byte 32 r 1 0'
k dmsetup create frr --table '0 8192 flakey /dev/loop0 0 10 5 2 random_read_corrupt 500000000'
k dmsetup create frw --table '0 8192 flakey /dev/loop0 0 10 5 2 random_write_corrupt 500000000'
FL=$(dmsetup ls 2>/dev/null | awk '$1 ~ /^f/ {print $1}' | sort)
std $FL
rm_all $FL

begin dust "dust: block size 512; messages, each followed by status (and table). Debian's kernel is built without CONFIG_DM_DUST: then only the refused create and the modprobe are recorded"
k dmsetup create dust --table '0 8192 dust /dev/loop0 0 512'
if [ "$RC" != 0 ]; then
	k modprobe dm-dust
	r dmsetup ls
else
std dust
for m in 'addbadblock 60' 'queryblock 60' 'countbadblocks' 'listbadblocks' 'enable' 'queryblock 60' \
         'disable' 'addbadblock 61' 'listbadblocks' 'removebadblock 60' 'queryblock 60' 'countbadblocks' \
         'clearbadblocks' 'countbadblocks' 'listbadblocks' 'clearbadblocks' 'removebadblock 60' \
         'addbadblock 8192' 'bogus'; do
	k dmsetup message dust 0 $m
	r dmsetup status dust
done
r dmsetup table dust
rm_all dust
fi

begin stack "base linear over loop0, mid over /dev/mapper/base, top over /dev/mapper/mid"
k dmsetup create base --table '0 8192 linear /dev/loop0 0'
k dmsetup create mid --table '0 8192 linear /dev/mapper/base 0'
k dmsetup create top --table '0 8192 linear /dev/mapper/mid 0'
std base mid top
r dmsetup ls --tree -o inverted
r dmsetup deps top
r dmsetup deps -o devname
rm_all top mid base

begin notable "e: created with --notable (no table)"
k dmsetup create e --notable
std e
rm_all e

begin uuid "u: zero with --uuid"
k dmsetup create u --uuid mapperd-test-uuid-0001 --table '0 8192 zero'
std u
r dmsetup info -c -o name,uuid
rm_all u

begin readonly "r: linear created --readonly"
k dmsetup create r --readonly --table '0 8192 linear /dev/loop0 0'
std r
rm_all r

begin suspended "sp: linear, then dmsetup suspend; resumed before removal"
k dmsetup create sp --table '0 8192 linear /dev/loop0 0'
k dmsetup suspend sp
std sp
k dmsetup resume sp
r dmsetup info sp
rm_all sp

begin inactive "i: zero (live) + error table loaded, not resumed; in: --notable + table loaded, not resumed"
k dmsetup create i --table '0 8192 zero'
k dmsetup load i --table '0 4096 error'
k dmsetup create in --notable
k dmsetup load in --table '0 8192 linear /dev/loop1 0'
std i in
r dmsetup table --inactive
r dmsetup status --inactive
r dmsetup deps --inactive
r dmsetup table --inactive i
r dmsetup info -c
k dmsetup clear i
r dmsetup info i
rm_all i in

begin reject "tables the kernel refuses (device x), each dmsetup create on its own"
rej gap '0 100 zero
200 100 zero'
rej overlap '0 100 zero
50 100 zero'
rej first-start-not-0 '100 100 zero'
rej length-0 '0 0 zero'
rej unknown-target '0 100 nosuchtarget'
rej misaligned-length-4k '0 8191 linear /dev/loop3 0'
rej misaligned-offset-4k '0 8192 linear /dev/loop3 1'
rej misaligned-line-4k '0 4 zero
4 8188 linear /dev/loop3 0'
rej linear-beyond-end '0 8192 linear /dev/loop0 126976'
rej linear-bad-sector '0 8192 linear /dev/loop0 abc'
rej linear-no-device '0 8192 linear /dev/loop9 0'
rej linear-missing-arg '0 8192 linear /dev/loop0'
rej striped-chunk-not-pow2 '0 16000 striped 2 100 /dev/loop0 0 /dev/loop1 0'
rej striped-chunk-0 '0 16384 striped 2 0 /dev/loop0 0 /dev/loop1 0'
rej striped-too-few-devs-len-not-div '0 16384 striped 3 128 /dev/loop0 0 /dev/loop1 0'
rej striped-too-few-devs '0 24576 striped 3 128 /dev/loop0 0 /dev/loop1 0'
rej striped-too-many-args '0 16384 striped 2 128 /dev/loop0 0 /dev/loop1 0 /dev/loop2 0'
rej striped-0-stripes '0 16384 striped 0 128'
rej striped-len-not-div-stripes '0 16383 striped 2 128 /dev/loop0 0 /dev/loop1 0'
rej striped-len-not-div-chunk '0 16382 striped 2 128 /dev/loop0 0 /dev/loop1 0'
rej delay-2-args '0 8192 delay /dev/loop0 0'
rej delay-bad-delay '0 8192 delay /dev/loop0 0 abc'
rej delay-5-args '0 8192 delay /dev/loop0 0 50 /dev/loop1 0'
rej flakey-3-args '0 8192 flakey /dev/loop0 0 10'
rej flakey-zero-interval '0 8192 flakey /dev/loop0 0 0 0'
rej flakey-unknown-feature '0 8192 flakey /dev/loop0 0 10 5 1 bogus'
rej flakey-feature-count '0 8192 flakey /dev/loop0 0 10 5 2 drop_writes'
rej flakey-corrupt-bad-dir '0 8192 flakey /dev/loop0 0 10 5 5 corrupt_bio_byte 32 x 1 0'
rej flakey-drop-and-error-writes '0 8192 flakey /dev/loop0 0 10 5 2 drop_writes error_writes'
rej unstriped-stripe-eq-count '0 8192 unstriped 2 128 2 /dev/loop0 0'
rej unstriped-stripe-gt-count '0 8192 unstriped 2 128 3 /dev/loop0 0'
rej unstriped-chunk-not-pow2 '0 8192 unstriped 2 100 0 /dev/loop0 0'
rej dust-bad-blksz '0 8192 dust /dev/loop0 0 1000'
rej zero-extra-arg '0 8192 zero 1'
r dmsetup ls

begin busy "a over loop0, b over /dev/mapper/a: remove a (in use), rename b to a, create a again"
k dmsetup create a --table '0 8192 linear /dev/loop0 0'
k dmsetup create b --table '0 8192 linear /dev/mapper/a 0'
k dmsetup remove a
k dmsetup rename b a
k dmsetup create a --table '0 8192 zero'
k dmsetup rename b a2
std a a2
k dmsetup rename a2 b
rm_all b a

begin multipath "m: 1 group round-robin over loop0+loop1 (no features); mb1/mb2: queue_mode bio feature; messages on m"
k dmsetup create m --table '0 8192 multipath 0 0 1 1 round-robin 0 2 1 /dev/loop0 1 /dev/loop1 1'
MRC=$RC
k dmsetup create mb1 --table '0 8192 multipath 1 queue_mode bio 0 1 1 round-robin 0 2 1 /dev/loop0 1 /dev/loop1 1'
k dmsetup create mb2 --table '0 8192 multipath 2 queue_mode bio 0 1 1 round-robin 0 2 1 /dev/loop0 1 /dev/loop1 1'
ML=$(dmsetup ls 2>/dev/null | awk '$1 ~ /^m/ {print $1}' | sort)
std $ML
MP=m; [ "$MRC" = 0 ] || MP=mb2
for m in 'fail_path 7:0' 'reinstate_path 7:0' 'fail_path 7:0' 'fail_path 7:1' 'reinstate_path 7:0' 'reinstate_path 7:1' \
         'queue_if_no_path' 'fail_if_no_path' 'switch_group 2' 'fail_path 7:9' 'bogus'; do
	k dmsetup message $MP 0 $m
	r dmsetup status $MP
	r dmsetup table $MP
done
rm_all $ML

begin multipath_groups "m2: two path groups (loop0 | loop1), switch_group, fail paths"
k dmsetup create m2 --table '0 8192 multipath 0 0 2 1 round-robin 0 1 1 /dev/loop0 1 round-robin 0 1 1 /dev/loop1 1'
std m2
k dmsetup message m2 0 switch_group 2
r dmsetup status m2
r dd if=/dev/mapper/m2 of=/dev/null bs=4096 count=1 iflag=direct status=none
r dmsetup status m2
k dmsetup message m2 0 fail_path 7:1
r dmsetup status m2
r dd if=/dev/mapper/m2 of=/dev/null bs=4096 count=1 iflag=direct status=none
r dmsetup status m2
k dmsetup message m2 0 reinstate_path 7:1
k dmsetup message m2 0 switch_group 1
r dd if=/dev/mapper/m2 of=/dev/null bs=4096 count=1 iflag=direct status=none
r dmsetup status m2
k dmsetup message m2 0 switch_group 3
rm_all m2

begin multipath_selectors "mql: queue-length; mst: service-time; mrr: round-robin repeat_count 1000; mq: queue_if_no_path feature"
k dmsetup create mql --table '0 8192 multipath 0 0 1 1 queue-length 0 2 1 /dev/loop0 1 /dev/loop1 1'
k dmsetup create mst --table '0 8192 multipath 0 0 1 1 service-time 0 2 2 /dev/loop0 1 1 /dev/loop1 1 1'
k dmsetup create mrr --table '0 8192 multipath 0 0 1 1 round-robin 0 2 1 /dev/loop0 1000 /dev/loop1 1000'
k dmsetup create mq --table '0 8192 multipath 1 queue_if_no_path 0 1 1 round-robin 0 2 1 /dev/loop0 1 /dev/loop1 1'
ML=$(dmsetup ls 2>/dev/null | awk '$1 ~ /^m/ {print $1}' | sort)
std $ML
rm_all $ML

begin teardown "detach loop devices; modules loaded now"
r dmsetup ls
r dmsetup targets
for l in loop0 loop1 loop2 loop3; do k losetup -d /dev/$l; done
r losetup -l
echo "CAPTURE-DONE"
