#!/bin/sh
# Builds a file-system image from a directory tree with Debian's e2fsprogs, for the ext2
# library's host tests and the fuzzer's seeds.
#   mkimage.sh TREE IMAGE TYPE BLOCK_SIZE SIZE_KIB [htree]
# TYPE is ext2 or ext4. "htree" re-indexes every directory (e2fsck -D) so that large ones
# become indexed (htree) directories.
set -eu
tree=$1 image=$2 type=$3 bs=$4 kib=$5 index=${6:-}
export PATH="$PATH:/sbin:/usr/sbin"
rm -f "$image"
# Fixed UUID, hash seed and time so the same tree gives the same image.
E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t "$type" -b "$bs" -U 0b6e3c8a-1f2d-4e5b-9a7c-3d2e1f0a9b8c \
    -E hash_seed=5f2a1c3e-7b9d-4e8f-a1b2-c3d4e5f6a7b8 -d "$tree" "$image" "${kib}k"
if [ "$index" = htree ]; then
    # e2fsck exits 1 when it changed something (here: built the indexes).
    e2fsck -fyD "$image" >/dev/null 2>&1 || [ $? -le 1 ]
fi
