#!/bin/sh
# Builds the Linux reference's initramfs: a newc cpio archive holding /init (the static
# program of bench/linux) and, under /modules, the virtio-blk driver and the modules it
# needs from the newest installed cloud kernel (the one tools/bench.sh boots), for the disk
# figures. Owner root, time 0, so the same inputs give the same bytes.
# Usage: bench/linux/mkinitramfs.sh INIT_PROGRAM OUTPUT.cpio
set -eu
init=$1
out=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$init" "$stage/init"
chmod 755 "$stage/init"
mkdir "$stage/modules"
moddir=$(ls -d /lib/modules/*-cloud-amd64 2> /dev/null | sort -V | tail -1)
for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_modern_dev \
    virtio/virtio_pci_legacy_dev virtio/virtio_pci block/virtio_blk; do
    [ -n "$moddir" ] && [ -r "$moddir/kernel/drivers/$m.ko" ] && cp "$moddir/kernel/drivers/$m.ko" "$stage/modules/"
done
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find init modules | sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
