#!/bin/bash
# The IDL compiler's file tests, run with the sanitized compiler (build/idlc-san):
#   - golden files: each tests/idl/NAME.idl compiles to exactly tests/idl/golden/NAME_idl.{h,c};
#   - the generated code of tests/idl/*.idl and idl/*.idl compiles with the project's
#     freestanding user flags and -Werror;
#   - one test per compile error: tests/idl/errors/NAME.idl starts with
#     "// expect: LINE:COL: MESSAGE" and idlc must fail with exactly "FILE:LINE:COL: MESSAGE";
#   - the syscall mode (idlc --syscalls): each tests/idl/syscalls/NAME.idl compiles to exactly
#     tests/idl/golden/syscalls/NAME{_kernel.h,_kernel.c,_user.h,_user.c,.md}; idl/syscalls.idl's
#     user stubs compile, and docs/syscalls.md is what it generates (make syscall-docs);
#   - the command line: bad usage and unreadable files fail cleanly.
# `run.sh --regenerate` rewrites the golden files instead (make idl-goldens).
# Prints PASS/FAIL lines and last "idl: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
IDLC=${IDLC:-build/idlc-san}
CC=${CC:-gcc}
FLAGS="-std=gnu11 -O2 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow
       -Wvla -ffreestanding -fno-pic -fno-pie -fno-stack-protector -I. -Iinclude -Iuser/lib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }

if [ "${1:-}" = --regenerate ]; then
    mkdir -p tests/idl/golden
    for f in tests/idl/*.idl; do "$IDLC" "$f" -o tests/idl/golden || exit 1; done
    mkdir -p tests/idl/golden/syscalls
    for f in tests/idl/syscalls/*.idl; do
        "$IDLC" --syscalls "$f" -o tests/idl/golden/syscalls || exit 1
    done
    echo "golden files rewritten in tests/idl/golden/"
    exit 0
fi

for f in tests/idl/*.idl idl/*.idl; do
    name=$(basename "$f" .idl)
    [ "$name" = syscalls ] && continue # the syscall mode, below
    out="$work/$name"
    mkdir -p "$out"
    if ! "$IDLC" "$f" -o "$out" 2> "$out/stderr"; then
        fail "idl/compile/$name" "$(head -n 3 "$out/stderr")"
        continue
    fi
    if [ "${f#tests/}" != "$f" ]; then
        if cmp -s "$out/${name}_idl.h" "tests/idl/golden/${name}_idl.h" &&
            cmp -s "$out/${name}_idl.c" "tests/idl/golden/${name}_idl.c"; then
            pass "idl/golden/$name"
        else
            fail "idl/golden/$name" "differs from tests/idl/golden (make idl-goldens if meant)"
        fi
    fi
    # shellcheck disable=SC2086
    if $CC $FLAGS -I"$out" -c "$out/${name}_idl.c" -o "$out/${name}.o" 2> "$out/cc"; then
        pass "idl/builds/$name"
    else
        fail "idl/builds/$name" "$(head -n 5 "$out/cc")"
    fi
done

SYSCALL_SUFFIXES="_kernel.h _kernel.c _user.h _user.c .md"
for f in tests/idl/syscalls/*.idl; do
    name=$(basename "$f" .idl)
    out="$work/syscalls-$name"
    mkdir -p "$out"
    if ! "$IDLC" --syscalls "$f" -o "$out" 2> "$out/stderr"; then
        fail "idl/syscalls/$name" "$(head -n 3 "$out/stderr")"
        continue
    fi
    same=1
    for s in $SYSCALL_SUFFIXES; do
        cmp -s "$out/$name$s" "tests/idl/golden/syscalls/$name$s" || same=0
    done
    if [ "$same" = 1 ]; then
        pass "idl/syscalls/golden/$name"
    else
        fail "idl/syscalls/golden/$name" "differs from tests/idl/golden/syscalls (make idl-goldens if meant)"
    fi
done

# The real list: its user stubs build, and docs/syscalls.md is current. (The kernel side is
# compiled by the kernel build, which also checks the numbers against abi.h.)
out="$work/syscalls"
mkdir -p "$out"
if "$IDLC" --syscalls idl/syscalls.idl -o "$out" 2> "$out/stderr"; then
    # shellcheck disable=SC2086
    if $CC $FLAGS -I"$out" -c "$out/syscalls_user.c" -o "$out/user.o" 2> "$out/cc"; then
        pass "idl/syscalls/builds"
    else
        fail "idl/syscalls/builds" "$(head -n 5 "$out/cc")"
    fi
    if cmp -s "$out/syscalls.md" docs/syscalls.md; then
        pass "idl/syscalls/docs"
    else
        fail "idl/syscalls/docs" "docs/syscalls.md is not what idl/syscalls.idl gives (make syscall-docs)"
    fi
else
    fail "idl/syscalls/compile" "$(head -n 3 "$out/stderr")"
fi

for f in tests/idl/errors/*.idl; do
    name=$(basename "$f" .idl)
    expect=$(head -n 1 "$f" | sed -n 's#^// expect: ##p')
    mode=$(head -n 2 "$f" | sed -n 's#^// mode: ##p') # "--syscalls" for the syscall mode
    # shellcheck disable=SC2086
    got=$("$IDLC" $mode "$f" -o "$work" 2>&1 > /dev/null)
    status=$?
    if [ "$status" = 1 ] && [ "$got" = "$f:$expect" ]; then
        pass "idl/error/$name"
    else
        fail "idl/error/$name" "status $status, said: $got; expected: $f:$expect"
    fi
done

cli() { # cli NAME STATUS MESSAGE ARGS...
    local name=$1 want=$2 message=$3
    shift 3
    local got status
    got=$("$IDLC" "$@" 2>&1 > /dev/null)
    status=$?
    if [ "$status" = "$want" ] && [ "$got" = "$message" ]; then
        pass "idl/cli/$name"
    else
        fail "idl/cli/$name" "status $status, said: $got"
    fi
}
cli usage 2 "usage: idlc [--syscalls] FILE.idl -o DIR"
cli syscalls_usage 2 "usage: idlc [--syscalls] FILE.idl -o DIR" --syscalls idl/syscalls.idl
cli no_syscalls 1 "idl/names.idl:4:9: no 'syscalls' block (idlc --syscalls)" --syscalls idl/names.idl -o "$work"
cli missing 1 "$work/none.idl: cannot read: no such file" "$work/none.idl" -o "$work"
cli suffix 1 "idl/names: the file name must end in .idl" idl/names -o "$work"
cli unwritable 1 "$work/nodir/names_idl.h: cannot write" idl/names.idl -o "$work/nodir"

echo "idl: $passed passed, $failed failed"
[ "$failed" = 0 ]
