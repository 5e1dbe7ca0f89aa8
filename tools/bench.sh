#!/bin/bash
# `make bench`: boots the kernel in benchmark mode, under KVM when /dev/kvm works (else TCG,
# whose figures measure the emulator more than the kernel), and prints one line per figure:
#   bench: NAME median=N min=N max=N unit=cycles iters=N
set -eu
cd "$(dirname "$0")/.."
if [ "${KVM:-1}" != 0 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    accel=kvm
else
    accel=tcg
    export KVM=0
fi
echo "bench: accelerator=$accel"
out=$(SMP=${SMP:-2} MEM=${MEM:-512M} APPEND="bench" timeout 600 sh tools/qemu.sh \
    build/kernel32.elf < /dev/null 2>&1 || true)
echo "$out" | sed -n 's/^.*\(bench: .*\)$/\1/p' | grep -v '^bench: done'
echo "$out" | grep -q '^bench: done' || { echo "bench: did not finish"; echo "$out" | tail -20; exit 1; }
