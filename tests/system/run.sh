#!/bin/bash
# System tests: boots the kernel under QEMU's software emulation (TCG) in test mode, in
# several machine shapes, and reads the in-kernel test results from the serial port.
# Each in-kernel test in each shape counts as one test; a boot that panics, triple-faults
# (QEMU runs with -no-reboot) or hangs past its timeout counts as a failure. Crash tests boot
# once each and must end in the expected fault report.
# QEMU runs all vCPUs of a machine in one host thread (thread=single): with more vCPUs than
# host cores, separate threads let the host deschedule a lock holder while the other vCPUs
# spin, and the tests would measure the host instead of the kernel. One shape (smp8) runs
# QEMU's default multi-threaded TCG on purpose (TCG_THREAD=multi), with the scheduler, task
# and heap-cache kernel tests and the IPC suite only: real parallelism on 8 CPUs.
# Prints "PASS/FAIL system/<shape>/<test>" lines and last "system: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."

# The test kernel (docs/building.md#two-kernels): in-kernel tests and heap debugging.
KERNEL=${KERNEL:-build/test/kernel32.elf}
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
    KVM=0 TCG_ACCEL=tcg,thread=${TCG_THREAD:-single} MEM=$mem SMP=$smp NUMA=$numa APPEND=$append timeout --kill-after=10 "$TIMEOUT" \
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
# The syscall fuzzer (user/tests/sysfuzz): fixed seeds, each a user/sysfuzz_seed_N test.
test_shape fuzz 256M 2 0 "test fuzz topo=2,1,10 seed=1 seeds=16 iters=2000"
# Firmware tables broken on purpose: the kernel must warn and fall back, not crash.
test_shape bad-srat 512M 4 2 "test acpi_corrupt=SRAT topo=4,1,10"
test_shape bad-madt 512M 4 2 "test acpi_corrupt=APIC topo=1,2,20 topo_mem=512"
# 8 CPUs, one host thread per vCPU: more threads than a small host has cores.
TCG_THREAD=multi test_shape smp8 512M 8 2 \
    "test topo=8,2,20 topo_mem=512 ktest=sched,tasks,heap_cache suites=ipctest"
expect_log bad-srat warned 'warn.*SRAT at 0x[0-9a-f]+: bad checksum, ignored'
expect_log bad-madt warned 'warn.*APIC at 0x[0-9a-f]+: bad checksum, ignored'
expect_log numa4 all-cpus-online 'smp: 4 of 4 CPUs online'
expect_log smp8 all-cpus-online 'smp: 8 of 8 CPUs online'

# Disks ("test disks": init starts the PCI service and the drivers and runs blktest and
# blkfault, user/services/init/disktest.c), in PCI order: blk0 a 64 MiB virtio-blk disk, blk1
# a 64 MiB NVMe disk, blk2 an 8 MiB read-only virtio-blk disk, blk3 and blk4 fault disks
# (virtio-blk, NVMe) behind QEMU's blkdebug driver, whose rules fail with EIO every read
# touching sector 4096 and every write touching sector 6144 (user/tests/blkfault says what
# the image holds). QEMU 7.2's NVMe device cannot show a namespace as read-only (a
# readonly=on drive fails writes with Write Fault), so the read-only disk is virtio only.
# After QEMU exits, the host checks the pattern blktest wrote at LBA 2048 of each writable
# disk (256 sectors, byte i of sector s = s * 31 + i * 7 + 0x5a + the disk's place in
# blktest's arguments) with dd and cmp, and that the sectors before it are still zero.
fault_image() {
    python3 -c '
import struct, sys
magic = b"WINGOS-FAULT-DSK"
sectors = [magic + bytes(496)] + [struct.pack("<Q", s) + bytes([(s * 7 + 3) & 0xff]) * 504 for s in range(1, 24576)]
sys.stdout.buffer.write(b"".join(sectors))
' > "$1"
}

# check_pattern IMAGE LABEL DISK_INDEX
check_pattern() {
    python3 -c '
import sys
d = int(sys.argv[1])
sys.stdout.buffer.write(bytes((s * 31 + i * 7 + 0x5a + d) & 0xff for s in range(2048, 2304) for i in range(512)))
' "$3" > "$LOGS/disk-expected.bin"
    if dd if="$1" bs=512 skip=2048 count=256 status=none | cmp -s - "$LOGS/disk-expected.bin"; then
        pass "system/disks/host_sees_pattern_$2"
    else
        fail "system/disks/host_sees_pattern_$2" "the image does not hold what blktest wrote"
    fi
    if dd if="$1" bs=512 count=2048 status=none | cmp -s - <(head -c $((2048 * 512)) /dev/zero); then
        pass "system/disks/host_rest_untouched_$2"
    else
        fail "system/disks/host_rest_untouched_$2" "sectors before the pattern were written"
    fi
}

disk_shape() {
    local rw=$LOGS/disk-rw.img nv=$LOGS/disk-nvme.img ro=$LOGS/disk-ro.img
    local fv=$LOGS/disk-fault-virtio.img fn=$LOGS/disk-fault-nvme.img conf=$LOGS/blkdebug.conf
    rm -f "$rw" "$nv" "$ro" "$fv" "$fn"
    truncate -s 64M "$rw"
    truncate -s 64M "$nv"
    truncate -s 8M "$ro"
    fault_image "$fv"
    cp "$fv" "$fn"
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "4096"\n\n[inject-error]\nevent = "write_aio"\nerrno = "5"\nsector = "6144"\n' > "$conf"
    DISK=$rw DISK_IF=virtio DISK2=$nv DISK2_IF=nvme
    export DISK DISK_IF DISK2 DISK2_IF
    test_shape disks 512M 2 0 "test disks topo=2,1,10" \
        -drive "file=$ro,if=none,id=ro,format=raw,readonly=on" \
        -device virtio-blk-pci,drive=ro,disable-legacy=on \
        -drive "file=blkdebug:$conf:$fv,if=none,id=fv,format=raw,rerror=report,werror=report" \
        -device virtio-blk-pci,drive=fv,disable-legacy=on \
        -drive "file=blkdebug:$conf:$fn,if=none,id=fn,format=raw,rerror=report,werror=report" \
        -device nvme,drive=fn,serial=wingos-fn
    unset DISK DISK_IF DISK2 DISK2_IF
    expect_log disks five_disks 'blktest: blk4: '
    expect_log disks fault_disks_found 'blkfault: 2 fault disks'
    expect_log disks nvme_driver_up 'nvme: blk1: 131072 sectors of 512 bytes'
    check_pattern "$rw" virtio 0
    check_pattern "$nv" nvme 1
}
disk_shape

# The file system: a disk made from tests/fs/files.py's tree (1 KiB blocks) and a small empty
# one; fstest reads, writes and fills them, then the host checks with e2fsck and debugfs.
files_shape() {
    local tree=$LOGS/files-tree img=$LOGS/files.img small=$LOGS/files-small.img
    rm -rf "$tree" "$img" "$small"
    mkdir -p "$tree/bin"
    python3 tests/fs/files.py tree "$tree"
    cp build/user/bin/hello "$tree/bin/hello"
    mke2fs -q -F -t ext2 -b 1024 -d "$tree" "$img" 16M
    mke2fs -q -F -t ext2 -b 1024 -N 16 "$small" 512K
    DISK=$img DISK_IF=virtio DISK2=$small DISK2_IF=virtio
    export DISK DISK_IF DISK2 DISK2_IF
    test_shape files 512M 2 0 "test files topo=2,1,10"
    unset DISK DISK_IF DISK2 DISK2_IF
    while read -r verdict name; do
        if [ "$verdict" = PASS ]; then pass "$name"; else fail "$name"; fi
    done < <(python3 tests/fs/files.py check "$img" | sed -n 's/^\(PASS\|FAIL\) \([^:]*\).*/\1 \2/p')
    if e2fsck -fn "$small" > /dev/null 2>&1; then pass system/files/host_small_e2fsck_clean; else fail system/files/host_small_e2fsck_clean; fi
}
files_shape

# The production kernel (build/kernel32.elf, what `make run` boots) links no tests: asked for
# them it must say so and leave with the "tests failed" status, neither crash nor hang.
production_refuses_tests() {
    local saved=$KERNEL
    KERNEL=build/kernel32.elf
    boot production-test 64M 1 0 "test"
    KERNEL=$saved
    local why=""
    [ "$status" = 35 ] || why="expected the tests-failed exit, got: $(describe_status "$status")"
    grep -q '^ktest: this is the production kernel: it has no tests' "$LOGS/production-test.log" ||
        why="${why:+$why; }no word that it has no tests"
    if grep -Eq '^ktest: (RUN|PASS)|kernel panic|CPU exception' "$LOGS/production-test.log"; then
        why="${why:+$why; }it ran tests or crashed"
    fi
    if [ -z "$why" ]; then pass system/production/no_tests; else fail system/production/no_tests "$why"; show_tail production-test; fi
}
production_refuses_tests
# The service manager ("test services": svcman runs services-test.conf until svctest ends):
# dependency order, configuration mistakes, a service crashing at start, and at least 100
# kills of the block driver and the console under a file and console workload (svctest).
# The host then checks the disk with e2fsck -fn and every file's content (svc_check.py).
services_shape() {
    local img=$LOGS/services.img blank=$LOGS/services-blank.img conf=services-test.conf
    rm -f "$img" "$blank"
    mke2fs -q -F -t ext2 -b 1024 "$img" 16M
    truncate -s 1M "$blank" # blk1, no file system: a mount of it must fail cleanly
    DISK=$img DISK_IF=virtio DISK2=$blank DISK2_IF=virtio
    export DISK DISK_IF DISK2 DISK2_IF
    test_shape services 512M 2 0 "test services topo=2,1,10"
    unset DISK DISK_IF DISK2 DISK2_IF
    expect_log services config_no_program "svcman: $conf:56: program needs a name"
    expect_log services config_bad_grant "svcman: $conf:60: grant: expected irq N"
    expect_log services config_missing_need "svcman: $conf:62: service missing: needs nobody, which no service provides"
    expect_log services config_cycle_a "svcman: $conf:66: service loop-a: is on a dependency cycle"
    expect_log services config_cycle_b "svcman: $conf:71: service loop-b: is on a dependency cycle"
    expect_log services config_blocked_dependent "svcman: $conf:76: service after-loop: needs a service that cannot start"
    expect_log services backoff_100 'svcman: crasher ended \(-[0-9]+\); restart in 100 ms'
    expect_log services backoff_200 'svcman: crasher ended \(-[0-9]+\); restart in 200 ms'
    expect_log services backoff_400 'svcman: crasher ended \(-[0-9]+\); restart in 400 ms'
    expect_log services heartbeat_missed 'svcman: hang missed 3 heartbeats: killed'
    expect_log services crash_loop_stopped 'svcman: crasher keeps failing \(4 ends within 60000 ms\): stopped'
    if e2fsck -fn "$img" > "$LOGS/services-e2fsck.log" 2>&1; then
        pass system/services/host_e2fsck_clean
    else
        fail system/services/host_e2fsck_clean "$(tail -n 3 "$LOGS/services-e2fsck.log")"
    fi
    while read -r verdict name; do
        if [ "$verdict" = PASS ]; then pass "$name"; else fail "$name"; fi
    done < <(python3 tests/system/svc_check.py "$img" | sed -n 's/^\(PASS\|FAIL\) \([^:]*\).*/\1 \2/p')
}
services_shape

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
