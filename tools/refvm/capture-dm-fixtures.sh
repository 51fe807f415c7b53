#!/bin/bash
# capture-dm-fixtures.sh - record REFERENCE outputs of the real dmsetup + kernel
# device-mapper (in the reference VM of build-refvm.sh) as test fixtures.
#
# Usage:  capture-dm-fixtures.sh [DEST]
#   DEST defaults to <project>/dm-core/src/test/resources/reference/dmsetup
# Env:    REFVM_DIR (default /tmp/refvm), REFVM_PORT_BASE (as build-refvm.sh)
#         REFVM_REUSE=1: do not reboot the VM first (it must then have no dm
#           devices and no loop devices; loaded target modules change `dmsetup targets`)
#
# The VM must have been built (`build-refvm.sh all`, or deps rootfs image). By
# default the VM is restarted first (its disk is snapshot=on: a fresh boot is a
# pristine guest with only dm-mod's built-in targets loaded), so that outputs such
# as `dmsetup targets` and the minor numbers (253:0, ...) are reproducible.
# The guest side is capture-dm-guest.sh (copied to $REFVM_DIR/share = guest /share
# and run through `build-refvm.sh exec`); it writes every command's stdout, stderr
# and exit code to separate files, plus the kernel log for state-changing commands.
# This script copies them to DEST (replacing it) and writes DEST/INDEX.md.
# The VM is left running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=${REFVM_DIR:-/tmp/refvm}
export REFVM_DIR=$W
DEST=${1:-$ROOT/dm-core/src/test/resources/reference/dmsetup}
VM=$HERE/build-refvm.sh

log() { printf '[capture %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

[ -f "$W/refvm.img" ] || { echo "no VM image in $W: run $VM all first" >&2; exit 1; }
if [ "${REFVM_REUSE:-0}" = 1 ]; then
	[ "$("$VM" exec 'echo alive' 2>/dev/null | tr -d '\r')" = alive ] || { echo "VM not reachable" >&2; exit 1; }
	busy=$("$VM" exec 'ls /dev/mapper 2>/dev/null | grep -v "^control$"; losetup -n -O NAME 2>/dev/null')
	[ -z "$busy" ] || { echo "guest not clean (dm/loop devices: $busy); run without REFVM_REUSE=1" >&2; exit 1; }
else
	log "restarting the VM for a pristine guest"
	"$VM" stop
	"$VM" boot
fi

mkdir -p "$W/share"
rm -rf "$W/share/capture"
cp "$HERE/capture-dm-guest.sh" "$W/share/capture-dm-guest.sh"
log "running capture-dm-guest.sh in the guest"
"$VM" exec 'bash /share/capture-dm-guest.sh /share/capture/dmsetup' | tee "$W/capture.log" >&2
grep -q CAPTURE-DONE "$W/capture.log" || { echo "guest capture did not finish (see $W/capture.log)" >&2; exit 1; }

SRC=$W/share/capture/dmsetup
rm -rf "$DEST"; mkdir -p "$DEST"
while IFS=$'\t' read -r c _; do cp -r "$SRC/$c" "$DEST/$c"; done < "$SRC/.cases"

# ------------------------------------------------------------------ INDEX.md
ver() { cat "$DEST/global/$1.out" 2>/dev/null | tr -d '\r'; }
{
	echo "# Reference outputs of the real dmsetup / kernel device-mapper"
	echo
	echo "Captured by \`tools/refvm/capture-dm-fixtures.sh\` (guest side: \`tools/refvm/capture-dm-guest.sh\`)"
	echo "in the reference VM of \`tools/refvm/build-refvm.sh\` (Debian bookworm guest, freshly booted)."
	echo "Do not edit by hand: re-run the script."
	echo
	echo "- kernel: \`$(ver 02-uname_-r)\`"
	echo "- \`dmsetup version\`: $(ver 03-version | sed 's/\t/ /g; s/^/`/; s/$/`/' | paste -sd' ' | sed 's/` `/`, `/g')"
	echo "- environment of every command: \`DM_DISABLE_UDEV=1\` (no udev in the guest: dmsetup makes /dev/mapper nodes itself),"
	echo "  no LANG/LC_* (C locale: \`ls --tree\` draws with ASCII), run as root from bash."
	echo
	echo "## Files"
	echo
	echo "\`<case>/NN-<slug>.out\` = stdout, \`.err\` = stderr, \`.rc\` = exit code (decimal + newline), exactly as captured."
	echo "\`.dmesg\` (only for commands that change state: create, load, message, remove, rename, suspend, resume,"
	echo "clear, losetup, modprobe) = the kernel log the command produced: \`dmesg -C\` right before it,"
	echo "\`dmesg -t\` (no timestamps) 0.2 s after it. \`NN\` is the order of execution within the case;"
	echo "\`<case>/commands.tsv\` = \`NN-slug<TAB>command\` (bash quoting: \`\$'...\\n...'\` is a table of several lines,"
	echo "passed with \`--table\`). Cases ran in the order below, in one guest, each starting with no dm devices"
	echo "(every case removes what it created); device-mapper minors are therefore allocated from 0 in each case,"
	echo "in creation order (the kernel takes the lowest free minor)."
	echo
	echo "## Loop devices (case \`setup\`, kept until \`teardown\`)"
	echo
	echo "| device | dev_t | backing file | size | logical block size |"
	echo "|---|---|---|---|---|"
	i=0
	for l in a b c d; do
		bd=$(ls "$DEST"/setup/*-blockdev_loop$i.out)
		sz=$(sed -n 1p "$bd"); ss=$(sed -n 2p "$bd")
		echo "| /dev/loop$i | 7:$i | /tmp/$l.img (sparse, \`truncate -s 64M\`) | 64 MiB = $sz sectors | $ss |"
		i=$((i + 1))
	done
	echo
	echo "attached in this order with \`losetup -f FILE\` (loop3: \`losetup -f -b 4096\`)."
	echo
	echo "## Cases"
	while IFS=$'\t' read -r c about; do
		echo
		echo "### \`$c\`"
		echo
		echo "$about"
		echo
		rej=$(ls "$DEST/$c" | grep -c '^[0-9]*-reject-.*\.rc$' || true)
		echo '```'
		while IFS=$'\t' read -r base cmd; do
			rc=$(cat "$DEST/$c/$base.rc")
			printf '%-44s rc=%s  %s\n' "$base" "$rc" "$cmd"
		done < "$DEST/$c/commands.tsv"
		echo '```'
		# kernel's reasons for refused creates/messages
		reasons=$(
			while IFS=$'\t' read -r base cmd; do
				[ -f "$DEST/$c/$base.dmesg" ] || continue
				[ "$(cat "$DEST/$c/$base.rc")" != 0 ] || case $base in *reject-*) ;; *) continue;; esac
				grep -h 'device-mapper' "$DEST/$c/$base.dmesg" | sed "s/^/$base: /" || true
			done < "$DEST/$c/commands.tsv")
		if [ -n "$reasons" ]; then
			echo
			echo "Kernel log of the failed (or expected-to-fail) commands:"
			echo
			echo '```'
			echo "$reasons"
			echo '```'
		fi
	done < "$SRC/.cases"
} > "$DEST/INDEX.md"
log "fixtures in $DEST ($(find "$DEST" -type f | wc -l) files); VM left running (REFVM_DIR=$W)"
