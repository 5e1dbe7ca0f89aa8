#!/bin/sh
# Checks that the includes between kernel folders form the layers docs/architecture.md draws:
#   0 lib/, include/wingos, kernel/sync, kernel/arch.h (interfaces)
#   1 services: kernel/*.c except main.c (log, panic, platform, ...), mm, acpi
#   2 arch   3 sched   4 space, ipc, driver, exec   5 syscall   6 test, bench   7 main.c
# Prints each include that goes up a layer (exit status 1), "-v" also every edge; the last
# line is "layers: N passed, M failed" for tools/test-all.sh.
# Usage: sh tools/layers.sh [-v]
cd "$(dirname "$0")/.." || exit 2
layer() {
    case "$1" in
    lib | include | sync | arch.h) echo 0 ;;
    top | mm | acpi) echo 1 ;;
    arch) echo 2 ;;
    sched) echo 3 ;;
    space | ipc | driver | exec) echo 4 ;;
    syscall) echo 5 ;;
    test | bench) echo 6 ;;
    main) echo 7 ;;
    *) echo 9 ;;
    esac
}
folder() { # kernel/sched/x.c -> sched; kernel/main.c -> top; kernel/arch.h -> arch.h
    case "$1" in
    kernel/arch.h) echo arch.h ;;
    kernel/main.c) echo main ;;
    */arch_layout.h | */arch_inline.h) echo arch.h ;; # the arch's half of the interface
    kernel/*/*) echo "$1" | cut -d/ -f2 ;;
    kernel/*) echo top ;;
    lib/*) echo lib ;;
    *) echo include ;;
    esac
}
edges=$(grep -rn '^#include "' kernel --include='*.[ch]' | sed 's/^\([^:]*\):[0-9]*:#include "\([^"]*\)".*/\1 \2/' |
    while read -r from to; do
        case "$to" in kernel/* | lib/*) ;; *) to=kernel/arch/$to ;; esac # arch_*.h, siblings
        f=$(folder "$from") t=$(folder "$to")
        [ "$f" = "$t" ] || echo "$f -> $t"
    done | sort | uniq -c)
[ "$1" = -v ] && echo "$edges"
bad=$(echo "$edges" | while read -r count f arrow t; do
    [ "$(layer "$f")" -lt "$(layer "$t")" ] && echo "  $f -> $t ($count includes)"
done)
if [ -n "$bad" ]; then
    echo "layers: includes that go up:"
    echo "$bad"
    echo "layers: 0 passed, 1 failed"
    exit 1
fi
echo "layers: 1 passed, 0 failed"
