#!/bin/sh
# Seeds for the ext2 fuzzer: tiny real images (ext2 with 1 KiB blocks, ext4 with extents and
# checksums) holding a few files, a directory, links.   mkseeds.sh OUT_DIR
set -eu
out=$1
here=$(dirname "$0")
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$out" "$tree/dir/sub"
printf 'hello\n' > "$tree/dir/hello"
head -c 20000 /dev/zero | tr '\0' 'x' > "$tree/dir/sub/twenty_k"
ln "$tree/dir/hello" "$tree/hard"
ln -s dir/hello "$tree/fast"
ln -s "dir/sub/$(printf 'long%.0s' $(seq 1 20))/../twenty_k" "$tree/slow"
sh "$here/mkimage.sh" "$tree" "$out/ext2.img" ext2 1024 256 >/dev/null
sh "$here/mkimage.sh" "$tree" "$out/ext4.img" ext4 1024 256 >/dev/null 2>&1 ||
    sh "$here/mkimage.sh" "$tree" "$out/ext4.img" ext4 1024 512 >/dev/null
