#!/bin/bash
# make fuzz: a long syscall-fuzzer campaign (user/tests/sysfuzz) in one boot of the test kernel
# (build/test/kernel32.elf: "test" on the command line; heap debugging on) under QEMU (TCG, single
# thread, 2 CPUs, 256M, like the system tests). SEEDS= seeds of ITERS= steps each, from SEED=
# (default: taken from the clock inside the guest and printed); LOG=1 prints every call.
# Prints each seed's verdict, the failing seeds, and the calls per second; exits non-zero on
# a failure, a kernel panic or a hang. Replay one seed: make fuzz SEED=N SEEDS=1 ITERS=M LOG=1
set -u
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-200}
ITERS=${ITERS:-4000}
LOGFILE=${FUZZ_LOG:-build/sysfuzz.log}
words="test fuzz topo=2,1,10 seeds=$SEEDS iters=$ITERS${SEED:+ seed=$SEED}${LOG:+ log}"
# Generous: about 2000 calls per second at worst, plus the boot.
timeout=$((120 + SEEDS * ITERS / 500))
echo "sysfuzz: $words (log in $LOGFILE, at most $timeout s)"
INITRD=${INITRD:-build/initrd.tar} KVM=0 TCG_ACCEL=tcg,thread=single MEM=256M SMP=2 APPEND="$words" timeout --kill-after=10 "$timeout" \
    sh tools/qemu.sh build/test/kernel32.elf < /dev/null > "$LOGFILE" 2>&1
status=$?
grep -a -E 'sysfuzz: (seeds|FAIL|SPACE_DESTROY|[0-9]+ calls)|utest: (FAIL|done)|kernel panic|CPU exception' "$LOGFILE" |
    sed 's/^\[space [0-9]* task [0-9]*\] //'
failed=$(grep -a -o 'utest: FAIL sysfuzz_seed_[0-9]*' "$LOGFILE" | sed 's/.*_//' | tr '\n' ' ')
[ -n "$failed" ] && echo "sysfuzz: failing seeds: $failed"
case $status in
33) echo "sysfuzz: passed" ;;
35) echo "sysfuzz: FAILED"; exit 1 ;;
37) echo "sysfuzz: FAILED: kernel panic (see $LOGFILE)"; exit 1 ;;
*) echo "sysfuzz: FAILED: QEMU status $status (hang or reset; see $LOGFILE)"; exit 1 ;;
esac
