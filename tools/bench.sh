#!/bin/bash
# `make bench` (all), `make bench-linux` (linux): boots WingOS in benchmark mode and/or the
# Linux reference (bench/linux) under the same QEMU settings, prints every figure as
#   bench: NAME median=N min=N max=N unit=instructions|cycles accel=tcg|kvm iters=N
# and ends with the side-by-side table (tools/bench-table.sh). Without real KVM
# (tools/accel.sh) QEMU runs TCG with -icount shift=0,sleep=off: the guest's time-stamp
# counter then advances by one per instruction, so figures count guest instructions and are
# the same from run to run (docs/benchmarks.md). Under KVM they are cycles.
set -eu
cd "$(dirname "$0")/.."
what=${1:-all}
out=build/bench
mkdir -p "$out"

accel=$(sh tools/accel.sh)
if [ "$accel" = kvm ]; then
    unit=cycles
    icount=""
    linux_accel="-enable-kvm -cpu host"
else
    unit=instructions
    export KVM=0 TCG_ACCEL=tcg,thread=single
    icount="-icount shift=0,sleep=off"
    linux_accel="-accel tcg,thread=single"
fi
echo "bench: accelerator=$accel unit=$unit${icount:+ ($icount)}"

# Keeps the figure lines of a boot log (without the log prefix), naming the unit; lines that
# say a figure failed or was skipped go to the terminal only.
figures() {
    tr -d '\r' < "$1" | sed -n 's/^.*\(bench: .*\)$/\1/p' | grep -v -e '^bench: done' -e 'starting$' |
        sed "s/ unit=tsc / unit=$unit accel=$accel /" > "$2" || true
    cat "$2"
    sed -i '/ median=/!d' "$2"
}

# Says why a boot gave no figures and shows the end of its log.
finished() {
    grep -q '^bench: done' "$1" && return 0
    echo "bench: $2 did not finish (log: $1)"
    tail -20 "$1"
    return 1
}

run_wingos() {
    SMP=${SMP:-2} MEM=${MEM:-512M} APPEND=bench QEMUFLAGS="${QEMUFLAGS:-} $icount" \
        timeout 600 sh tools/qemu.sh build/kernel32.elf < /dev/null > "$out/wingos.log" 2>&1 || true
    figures "$out/wingos.log" "$out/wingos.txt"
    finished "$out/wingos.log" WingOS || return 1
    # Wall-clock boot time to the shell prompt (normal boots, no -icount: see the script).
    ACCEL=$accel python3 tools/boot_prompt.py | tee -a "$out/wingos.txt"
}

# One CPU: Linux stalls bringing up secondary CPUs under -icount.
run_linux() {
    local kernel
    kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2> /dev/null | sort -V | tail -1)
    if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
        echo "bench: no readable /boot/vmlinuz-*-cloud-amd64: run tools/deps.sh (as root) first"
        return 1
    fi
    echo "bench: linux reference: $(basename "$kernel"), 1 CPU"
    # shellcheck disable=SC2086
    timeout 300 qemu-system-x86_64 -machine q35 $linux_accel $icount -smp 1 -m "${MEM:-512M}" \
        -kernel "$kernel" -initrd build/linux-bench/initramfs.cpio \
        -append "console=ttyS0 quiet panic=-1" -display none -serial stdio -no-reboot \
        < /dev/null > "$out/linux.log" 2>&1 || true
    figures "$out/linux.log" "$out/linux.txt"
    finished "$out/linux.log" Linux
}

# The disk figures: a second boot of each system with two scratch disks, build/bench/disk-*.img
# (64 MiB each, made afresh): virtio-blk first, NVMe second. Under TCG with sleep=on instead
# of sleep=off: a guest waiting for the host's I/O is idle, and with sleep=off QEMU would jump
# its clock to the next timer at every wait, so the figures would count timer periods.
# With sleep=on idle time follows the host's clock: disk figures are guest nanoseconds
# (instructions while running, real time while waiting), not deterministic.
disk_images() {
    rm -f "$out/disk-virtio.img" "$out/disk-nvme.img"
    truncate -s 64M "$out/disk-virtio.img"
    truncate -s 64M "$out/disk-nvme.img"
}
disk_icount=${icount:+-icount shift=0,sleep=on}

run_wingos_disks() {
    disk_images
    SMP=${SMP:-2} MEM=${MEM:-512M} APPEND="bench disks" QEMUFLAGS="${QEMUFLAGS:-} $disk_icount" \
        DISK=$out/disk-virtio.img DISK_IF=virtio DISK2=$out/disk-nvme.img DISK2_IF=nvme \
        timeout 300 sh tools/qemu.sh build/kernel32.elf < /dev/null > "$out/wingos-disks.log" 2>&1 || true
    # This boot runs the kernel's figures too: keep only the disk ones.
    sed '/bench: /{/bench: blk_\|bench: done/!d}' "$out/wingos-disks.log" > "$out/wingos-disks.blk"
    figures "$out/wingos-disks.blk" "$out/wingos-disks.txt"
    finished "$out/wingos-disks.log" "WingOS (disks)"
}

# boot_linux WORD LOG QEMU_ARGS...: the Linux reference with WORD on its command line
# ("disks", "files") and the given disks, under the disk figures' clock settings.
boot_linux() {
    local kernel word=$1 log=$2
    shift 2
    kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2> /dev/null | sort -V | tail -1)
    [ -n "$kernel" ] && [ -r "$kernel" ] || return 1
    # shellcheck disable=SC2086
    timeout 300 qemu-system-x86_64 -machine q35 $linux_accel $disk_icount -smp 1 -m "${MEM:-512M}" \
        -kernel "$kernel" -initrd build/linux-bench/initramfs.cpio \
        -append "console=ttyS0 quiet panic=-1 $word" -display none -serial stdio -no-reboot \
        "$@" < /dev/null > "$log" 2>&1 || true
}

run_linux_disks() {
    disk_images
    echo "bench: linux reference, disks: O_DIRECT on /dev/vda and /dev/nvme0n1"
    boot_linux disks "$out/linux-disks.log" \
        -drive "file=$out/disk-virtio.img,if=none,id=d0,format=raw" \
        -device virtio-blk-pci,drive=d0,disable-legacy=on \
        -drive "file=$out/disk-nvme.img,if=none,id=d1,format=raw" -device nvme,drive=d1,serial=d1 || return 1
    figures "$out/linux-disks.log" "$out/linux-disks.txt"
    finished "$out/linux-disks.log" "Linux (disks)"
}

# The file figures: a third boot of each system with one virtio disk, build/bench/fs.img, an
# empty ext2 file system made afresh (64 MiB, 4 KiB blocks); WingOS's VFS mounts it at /,
# Linux at /mnt. Same clock settings as the disk figures (sleep=on, not deterministic).
# e2fsck -fn afterwards checks the system left the file system consistent.
fs_image() {
    rm -f "$out/fs.img"
    mke2fs -q -F -t ext2 -b 4096 -L fsbench "$out/fs.img" 64M > /dev/null
}
fs_check() {
    e2fsck -fn "$out/fs.img" > "$out/$1-fsck.log" 2>&1 ||
        echo "bench: $1: e2fsck -fn found problems on fs.img (log: $out/$1-fsck.log)"
}

run_wingos_files() {
    fs_image
    SMP=${SMP:-2} MEM=${MEM:-512M} APPEND="bench files" QEMUFLAGS="${QEMUFLAGS:-} $disk_icount" \
        DISK=$out/fs.img DISK_IF=virtio \
        timeout 300 sh tools/qemu.sh build/kernel32.elf < /dev/null > "$out/wingos-files.log" 2>&1 || true
    sed '/bench: /{/bench: fs_\|bench: done/!d}' "$out/wingos-files.log" > "$out/wingos-files.fs"
    figures "$out/wingos-files.fs" "$out/wingos-files.txt"
    fs_check wingos
    finished "$out/wingos-files.log" "WingOS (files)"
}

run_linux_files() {
    fs_image
    echo "bench: linux reference, files: ext2 on /dev/vda"
    boot_linux files "$out/linux-files.log" -drive "file=$out/fs.img,if=none,id=d0,format=raw" \
        -device virtio-blk-pci,drive=d0,disable-legacy=on || return 1
    figures "$out/linux-files.log" "$out/linux-files.txt"
    fs_check linux
    finished "$out/linux-files.log" "Linux (files)"
}

status=0
case $what in
all)
    run_wingos || status=1
    run_wingos_disks || status=1
    run_wingos_files || status=1
    run_linux || status=1
    run_linux_disks || status=1
    run_linux_files || status=1
    ;;
wingos) run_wingos || status=1; run_wingos_disks || status=1; run_wingos_files || status=1 ;;
linux) run_linux || status=1; run_linux_disks || status=1; run_linux_files || status=1 ;;
files) run_wingos_files || status=1; run_linux_files || status=1 ;;
*) echo "usage: tools/bench.sh [all|wingos|linux|files]" >&2; exit 2 ;;
esac
echo
bash tools/bench-table.sh
exit $status
