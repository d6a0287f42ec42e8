# QEMU's edu PCI device (1234:11e8) is enumerated, for the tests that use
# it as a real interrupt source.
. /ihm/tests/lib.sh
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ]; then
		echo "edu at ${d##*/}"
		exit 0
	fi
done
fail "no 1234:11e8 device in /sys/bus/pci/devices"
