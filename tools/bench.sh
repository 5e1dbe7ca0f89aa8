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

status=0
case $what in
all) run_wingos || status=1; run_linux || status=1 ;;
wingos) run_wingos || status=1 ;;
linux) run_linux || status=1 ;;
*) echo "usage: tools/bench.sh [all|wingos|linux]" >&2; exit 2 ;;
esac
echo
bash tools/bench-table.sh
exit $status
