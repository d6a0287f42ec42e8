#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the workbench needs from Debian's archive.  Idempotent: when
# everything is there it only says so.
. "$(dirname "$0")/lib.sh"

HOST_PKGS="linux-source-6.12 gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross
qemu-system-arm qemu-system-x86 ccache flex bison bc libelf-dev libssl-dev
cpio xz-utils gzip kmod perl python3 python3-ply python3-git rsync patch git
sparse gnuplot-nox
rt-tests trace-cmd busybox-static"

missing=
for p in $HOST_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
foreign=$(dpkg --print-foreign-architectures)
case " $foreign " in *" arm64 "*) arm64=yes ;; *) arm64=no ;; esac

if [ -z "$missing" ] && [ $arm64 = yes ]; then
	log "setup: all host packages present"
	exit 0
fi
[ "$(id -u)" = 0 ] ||
	die "missing packages:$missing; run 'make setup' as root (apt-get install)"
export DEBIAN_FRONTEND=noninteractive
# arm64 is added for the guest's userland: apt-get download of
# busybox-static:arm64, rt-tests:arm64, ... (initramfs.sh).
[ $arm64 = yes ] || dpkg --add-architecture arm64
log "setup: installing$missing"
apt-get update -q >/dev/null || die "apt-get update failed"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	die "apt-get install failed for:$missing"
