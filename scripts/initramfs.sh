#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest userland of one arch as a gzipped cpio:
#
#   initramfs.sh ARCH        -> build/initramfs/ARCH.cpio.gz
#
# busybox, rt-tests and trace-cmd come from Debian's packages for ARCH with
# the shared libraries they need (checked, not assumed); the project's test
# programs are built static; the init and payloads come from scripts/guest.
# The kernel modules are not here: they depend on the kernel and are added
# per target by modules.sh.
. "$(dirname "$0")/lib.sh"

arch=$1
case "$arch" in
arm64) debarch=arm64 ;;
x86_64) debarch=amd64 ;;
*) die "unknown arch '$arch': use arm64 or x86_64" ;;
esac
cross=$(cross_compile "$arch")
need "${cross}gcc" gcc-aarch64-linux-gnu
need "${cross}readelf" binutils-aarch64-linux-gnu
need cpio cpio
need dpkg-deb dpkg

# bash runs the kernel's gpio-mockup.sh selftest; gpiod is libgpiod 1.6's
# tools (gpiomon waits in ppoll(), uAPI v1), as a board's Debian has them.
PKGS="busybox-static rt-tests trace-cmd libc6 libnuma1 libtraceevent1
libtracefs1 libzstd1 libtraceevent1-plugin bash libtinfo6 gpiod libgpiod2
libmount1 libblkid1 libselinux1 libpcre2-8-0"
# Single programs of packages too big to take whole: busybox lacks them, the
# kernel's GPIO selftests and the tests' priorities need them.
FILES="util-linux:usr/bin/chrt util-linux:bin/mountpoint coreutils:usr/bin/seq"

debs=$CACHE/debs/$debarch
mkdir -p "$debs"
for p in $PKGS $(for f in $FILES; do echo "${f%%:*}"; done | sort -u); do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 && continue
	(cd "$debs" && apt-get download -q "$p:$debarch" >/dev/null 2>&1) ||
		die "apt-get download $p:$debarch failed (is arm64 added? run 'make setup' as root)"
done

work=$BUILD/initramfs
root=$work/$arch
rm -rf "$root"
mkdir -p "$root"
for p in $PKGS; do
	dpkg-deb -x "$(ls "$debs/${p}_"*.deb | tail -1)" "$root"
done
for f in $FILES; do
	p=${f%%:*} path=${f#*:}
	rm -rf "$work/deb-$arch" && mkdir -p "$work/deb-$arch"
	dpkg-deb -x "$(ls "$debs/${p}_"*.deb | tail -1)" "$work/deb-$arch"
	[ -f "$work/deb-$arch/$path" ] || die "package $p:$debarch has no $path"
	mkdir -p "$root/usr/bin"
	cp "$work/deb-$arch/$path" "$root/usr/bin/"
done
rm -rf "$work/deb-$arch"
# Python helpers of rt-tests and the docs are not used in the guest.
rm -rf "$root/usr/share" "$root/usr/lib/python3"* "$root/usr/lib/python3/"
mkdir -p "$root"/{proc,sys,dev,tmp,results,root,etc} "$root/ihm"/{bin,tests,payload,bench}

# Every NEEDED library of every ELF in the tree must be in the tree.
missing=$(find "$root" -type f -perm -u+x | while read -r f; do
	"${cross}readelf" -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | sort -u | while read -r lib; do
	[ -n "$(find "$root" -name "$lib" -print -quit)" ] || echo "$lib"
done | tr '\n' ' ')
[ -z "$missing" ] || die "guest userland for $arch lacks shared libraries: $missing(add their packages to PKGS in $0)"

# The project's guest programs: static, one per behaviour; the bench's user
# tool, irqlat, from its sources (bench/ also holds its kernel side,
# ihm_test.c, built by modules.sh).
for src in "$TOP"/tests/guest/*.c "$TOP"/bench/irqlat.c; do
	[ -e "$src" ] || break
	srcs=$src
	[ "$src" = "$TOP/bench/irqlat.c" ] && srcs="$src $TOP/bench/irqlat-gpio.c $TOP/bench/irqlat-uio.c"
	# shellcheck disable=SC2086
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror -I"$TOP/tests/guest" \
		-o "$root/ihm/bin/$(basename "$src" .c)" $srcs ||
		die "building $src for $arch failed"
done
cp "$TOP"/tests/guest/*.sh "$root/ihm/tests/" 2>/dev/null
cp "$TOP"/bench/*.sh "$root/ihm/bench/" 2>/dev/null
cp "$TOP/scripts/irq-migrate-map" "$root/ihm/bin/"
cp "$TOP"/scripts/guest/payload-* "$root/ihm/payload/"
cp "$TOP/scripts/guest/init" "$root/init"
chmod +x "$root/init" "$root"/ihm/payload/* "$root"/ihm/tests/* "$root"/ihm/bench/* 2>/dev/null
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$work/$arch.cpio.gz.tmp" || die "cpio of $root failed"
mv "$work/$arch.cpio.gz.tmp" "$work/$arch.cpio.gz"
log "initramfs $arch: $(du -h "$work/$arch.cpio.gz" | cut -f1) at $work/$arch.cpio.gz"
