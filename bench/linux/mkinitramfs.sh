#!/bin/sh
# Builds the Linux reference's initramfs: a newc cpio archive holding one file, /init (the
# static program of bench/linux). Owner root, time 0, so the same program gives the same bytes.
# Usage: bench/linux/mkinitramfs.sh INIT_PROGRAM OUTPUT.cpio
set -eu
init=$1
out=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$init" "$stage/init"
chmod 755 "$stage/init"
touch -d @0 "$stage/init"
(cd "$stage" && echo init | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
