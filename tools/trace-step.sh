#!/bin/sh
# Where the instructions of one benchmark step go: boots the production kernel with the
# benchmarks (APPEND=bench) under TCG -icount and QEMU's gdbstub, lets gdb stop at the
# SKIP-th entry of function FN (of the bench program, or of the kernel), single-steps STEPS
# instructions and prints, per function, how many of one step's instructions ran there
# (tools/trace_symbolize.py). docs/benchmarks.md#profiling-one-step.
# Usage: sh tools/trace-step.sh FN [SKIP [STEPS]]   e.g. FN=echo_step (ipc_call_same_cpu)
set -eu
cd "$(dirname "$0")/.."
fn=$1 skip=${2:-50} steps=${3:-4000}
out=build/trace
mkdir -p $out
elf=build/user/bin/bench
nm "$elf" | grep -q " [tT] $fn\$" || elf=build/kernel.elf
addr=$(nm "$elf" | awk -v f="$fn" '$3 == f { print $1; exit }')
[ -n "$addr" ] || { echo "trace-step: no function $fn in the bench program or the kernel" >&2; exit 2; }
# The first bytes tell the bench program's FN from another program's code at that address.
sig=$(objdump -d "$elf" --start-address=0x$addr --stop-address=$(printf '0x%x' $((0x$addr + 4))) |
    awk -F'\t' '/^ *[0-9a-f]+:/ { gsub(/ /, "", $2); printf "%s", $2 }')
SMP=2 MEM=512M APPEND=bench QEMUFLAGS="-icount shift=0,sleep=off -s -S" INITRD=build/initrd.tar \
    KVM=0 timeout 900 sh tools/qemu.sh build/kernel32.elf < /dev/null > $out/qemu.log 2>&1 &
qemu=$!
sleep 1
TRACE_ADDR=0x$addr TRACE_SIG=$sig TRACE_SKIP=$skip TRACE_STEPS=$steps TRACE_OUT=$out/pcs.txt \
    timeout 880 gdb -batch -nx -x tools/trace_step_gdb.py > $out/gdb.log 2>&1 || true
kill $qemu 2> /dev/null || true
python3 tools/trace_symbolize.py $out/pcs.txt "$fn" build/kernel.elf build/user/bin/bench
