#!/bin/sh
# Makes an ext2 disk image for `make run` (and the shell test): /bin holds user programs (run
# them by name from the shell through PATH), /boot is the boot archive's mount point, /etc
# and /home hold a few files. Usage: tools/mkdisk.sh IMAGE SIZE BIN_DIR PROGRAMS...
set -eu
image=$1
size=$2
bindir=$3
shift 3
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/bin" "$tree/boot" "$tree/etc" "$tree/home" "$tree/tmp"
for program in "$@"; do
    cp "$bindir/$program" "$tree/bin/$program"
done
printf 'Welcome to WingOS: this file lives on an ext2 disk made by tools/mkdisk.sh.\n' > "$tree/etc/motd"
printf 'hello from the disk\n' > "$tree/home/readme.txt"
rm -f "$image"
mke2fs -q -F -t ext2 -b 1024 -L wingos -d "$tree" "$image" "$size"
