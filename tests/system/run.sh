#!/bin/bash
# System tests: boots the kernel under QEMU's software emulation (TCG) in test mode, in
# several machine shapes, and reads the in-kernel test results from the serial port.
# Each in-kernel test in each shape counts as one test; a boot that panics, triple-faults
# (QEMU runs with -no-reboot) or hangs past its timeout counts as a failure. Crash tests boot
# once each and must end in the expected fault report.
# QEMU runs all vCPUs of a machine in one host thread (thread=single): with more vCPUs than
# host cores, separate threads let the host deschedule a lock holder while the other vCPUs
# spin, and the tests would measure the host instead of the kernel.
# Prints "PASS/FAIL system/<shape>/<test>" lines and last "system: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."

KERNEL=${KERNEL:-build/kernel32.elf}
unset DISK DISK2 # only the disk shape below attaches disks
TIMEOUT=${SYSTEST_TIMEOUT:-180}
LOGS=${SYSTEST_LOGS:-build/systest}
mkdir -p "$LOGS"
passed=0
failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }

# boot LABEL MEM SMP NUMA APPEND [extra qemu args...]; leaves the log in $LOGS/LABEL.log
# and the QEMU exit status in $status.
boot() {
    local label=$1 mem=$2 smp=$3 numa=$4 append=$5
    shift 5
    KVM=0 TCG_ACCEL=tcg,thread=single MEM=$mem SMP=$smp NUMA=$numa APPEND=$append timeout --kill-after=10 "$TIMEOUT" \
        sh tools/qemu.sh "$KERNEL" "$@" < /dev/null > "$LOGS/$label.log" 2>&1
    status=$?
}

describe_status() {
    case $1 in
    33) echo "passed" ;;
    35) echo "tests failed" ;;
    37) echo "kernel panicked" ;;
    124 | 137) echo "hung (no exit within ${TIMEOUT}s)" ;;
    0) echo "QEMU stopped without the test exit (triple fault or reset)" ;;
    *) echo "QEMU exit status $1" ;;
    esac
}

show_tail() {
    sed 's/^/    | /' "$LOGS/$1.log" | tail -n 25
}

# A normal test boot: every ktest result line counts.
test_shape() {
    local label=$1
    boot "$@"
    # Kernel tests print "ktest: PASS name"; the userspace suite "utest: PASS name" (after
    # the log prefix the kernel adds to user output).
    while read -r verdict name; do
        if [ "$verdict" = PASS ]; then pass "system/$label/$name"; else fail "system/$label/$name"; fi
    done < <(sed -n -e 's/^ktest: \(PASS\|FAIL\) \([a-z0-9_]*\).*/\1 \2/p' \
        -e 's/^.*utest: \(PASS\|FAIL\) \([a-z0-9_]*\).*/\1 user\/\2/p' "$LOGS/$label.log")
    # systest's log_cannot_forge_lines puts "ktest: FORGED" after a newline inside one LOG:
    # at the start of a line, a program could forge kernel lines.
    if grep -q '^ktest: FORGED' "$LOGS/$label.log"; then
        fail "system/$label/log_not_forged" "a program's LOG started a line"
    else
        pass "system/$label/log_not_forged"
    fi
    if [ "$status" = 33 ] && grep -q '^ktest: done' "$LOGS/$label.log"; then
        pass "system/$label/boot"
    else
        fail "system/$label/boot" "$(describe_status "$status")"
        show_tail "$label"
    fi
}

# expect_log LABEL NAME PATTERN: the boot's log must contain PATTERN.
expect_log() {
    if grep -Eq -- "$3" "$LOGS/$1.log"; then pass "system/$1/$2"; else fail "system/$1/$2" "missing /$3/"; fi
}

# A crash test: must end in a panic (status 37) whose report matches every pattern.
test_crash() {
    local name=$1
    shift
    boot "crash-$name" 64M "${CRASH_SMP:-1}" 0 "test=$name"
    local why=""
    [ "$status" = 37 ] || why="expected a panic, got: $(describe_status "$status")"
    for pattern in "$@"; do
        grep -Eq -- "$pattern" "$LOGS/crash-$name.log" || why="${why:+$why; }missing /$pattern/"
    done
    if [ -z "$why" ]; then pass "system/crash/$name"; else fail "system/crash/$name" "$why"; show_tail "crash-$name"; fi
}

# label, memory, CPUs, NUMA nodes, kernel command line (topo= says what to expect:
# CPUs, nodes, distance between nodes; topo_mem= the memory in MiB).
test_shape numa4 512M 4 2 "test topo=4,2,20 topo_mem=512"
test_shape single 256M 1 0 "test topo=1,1,10"
test_shape m32M 32M 1 0 "test topo=1,1,10"
test_shape m5G 5G 2 0 "test topo=2,1,10"
# Firmware tables broken on purpose: the kernel must warn and fall back, not crash.
test_shape bad-srat 512M 4 2 "test acpi_corrupt=SRAT topo=4,1,10"
test_shape bad-madt 512M 4 2 "test acpi_corrupt=APIC topo=1,2,20 topo_mem=512"
expect_log bad-srat warned 'warn.*SRAT at 0x[0-9a-f]+: bad checksum, ignored'
expect_log bad-madt warned 'warn.*APIC at 0x[0-9a-f]+: bad checksum, ignored'
expect_log numa4 all-cpus-online 'smp: 4 of 4 CPUs online'

# Disks: a 64 MiB virtio-blk disk and an 8 MiB read-only one ("test disks": init starts the
# PCI service and the drivers and runs blktest, user/services/init/disktest.c). After QEMU
# exits, the host checks the pattern blktest wrote at LBA 2048 (256 sectors, byte i of
# sector s = s * 31 + i * 7 + 0x5a) with dd and cmp, and that the sectors before it are
# still zero.
disk_shape() {
    local rw=$LOGS/disk-rw.img ro=$LOGS/disk-ro.img
    rm -f "$rw" "$ro"
    truncate -s 64M "$rw"
    truncate -s 8M "$ro"
    DISK=$rw DISK_IF=virtio
    export DISK DISK_IF
    test_shape disks 512M 2 0 "test disks topo=2,1,10" \
        -drive "file=$ro,if=none,id=ro,format=raw,readonly=on" \
        -device virtio-blk-pci,drive=ro,disable-legacy=on
    unset DISK DISK_IF
    python3 -c '
import sys
sys.stdout.buffer.write(bytes((s * 31 + i * 7 + 0x5a) & 0xff for s in range(2048, 2304) for i in range(512)))
' > "$LOGS/disk-expected.bin"
    if dd if="$rw" bs=512 skip=2048 count=256 status=none | cmp -s - "$LOGS/disk-expected.bin"; then
        pass "system/disks/host_sees_pattern"
    else
        fail "system/disks/host_sees_pattern" "the image does not hold what blktest wrote"
    fi
    if dd if="$rw" bs=512 count=2048 status=none | cmp -s - <(head -c $((2048 * 512)) /dev/zero); then
        pass "system/disks/host_rest_untouched"
    else
        fail "system/disks/host_rest_untouched" "sectors before the pattern were written"
    fi
}
disk_shape

halted='\*\*\* all CPUs halted'
test_crash fault_null_read 'CPU exception 14 \(page fault\)' 'cr2=0000000000000000' \
    'page not present, read, kernel' 'ktest_fn_fault_null_read' "$halted"
test_crash fault_write_rodata 'CPU exception 14 \(page fault\)' 'protection violation, write' \
    'ktest_fn_fault_write_rodata' "$halted"
test_crash fault_invalid_opcode 'CPU exception 6 \(invalid opcode\)' \
    'rip=.*' 'ktest_fn_fault_invalid_opcode' "$halted"
test_crash fault_general_protection 'CPU exception 13 \(general protection fault\)' \
    'ktest_fn_fault_general_protection' "$halted"
test_crash fault_stack_overflow 'CPU exception 8 \(double fault\)' \
    'kernel stack overflow: boot CPU stack hit its guard page' 'recurse_forever' "$halted"
test_crash heap_overflow_detected 'kernel panic: kmalloc: heap: write past the end of an object' \
    'kfree' 'ktest_fn_heap_overflow_detected' "$halted"
CRASH_SMP=4 test_crash fault_task_stack_overflow 'CPU exception 8 \(double fault\)' \
    "kernel stack overflow: a task's kernel stack hit its guard page" 'task_recurse' "$halted"
test_crash heap_double_free_detected 'kernel panic: kmalloc: .*double free' \
    'kfree' 'ktest_fn_heap_double_free_detected' "$halted"

echo "system: $passed passed, $failed failed"
[ "$failed" = 0 ]
