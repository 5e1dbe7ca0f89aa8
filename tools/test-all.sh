#!/bin/bash
# Runs every test: host unit tests (given as arguments), then system tests under QEMU. Sums the per-suite
# "NAME: N passed, M failed" lines into the last line "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
total_passed=0
total_failed=0
start=$(date +%s)

# run_suite COMMAND...: runs one suite, shows its output, adds its summary line. A suite that
# exits non-zero without reporting a failure (a sanitizer abort, a crash) counts one failure.
run_suite() {
    local out summary p f
    out=$("$@" 2>&1)
    local rc=$?
    echo "$out"
    summary=$(echo "$out" | grep -E '^[A-Za-z0-9_/.-]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    p=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
    f=$(echo "$summary" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL $*: exited with status $rc without a failure count"
        f=1
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
}

# The host test binaries to run are the arguments (the Makefile's list, so a stale binary of
# a removed test never counts).
for t in "$@"; do
    run_suite "$t"
done
# Bounded fuzzing runs (libFuzzer) of the handle table, the ELF checker, ustar, ACPI, ext2,
# the service manager's configuration parser,
# the IDL compiler and every generated IDL decoder.
for f in elf handle_table ustar acpi ext2 svc_config idlc idl_decoders; do
    run_suite make -s --no-print-directory fuzz-$f
done
# The IDL compiler's golden files, compile errors and command line (tests/idl/run.sh).
run_suite bash tests/idl/run.sh
# The includes between kernel folders form layers (docs/architecture.md).
run_suite sh tools/layers.sh
run_suite bash tests/system/run.sh
# The shell, typed at through the serial port like a person would.
run_suite python3 tests/system/shell_test.py
# The ISO (make iso) booted through GRUB under BIOS and under UEFI.
run_suite python3 tests/system/iso_test.py

echo "make test took $(($(date +%s) - start)) s"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]
