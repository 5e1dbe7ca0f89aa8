#!/bin/sh
# Turns `nm` output of the first kernel link into the assembly symbol table of the second.
# Usage: gensyms.sh kernel.elf > ksyms.S   (no argument: an empty table for the first link)
set -eu
echo '        .section .ksyms, "a"'
echo '        .balign 8'
echo '        .globl ksyms_count, ksyms_entries'
if [ $# -eq 0 ]; then
    echo 'ksyms_count: .quad 0'
    echo 'ksyms_entries:'
    exit 0
fi
nm -n --defined-only "$1" | awk '
    $2 ~ /^[tT]$/ { addr[n] = $1; name[n] = $3; n++ }
    END {
        printf "ksyms_count: .quad %d\nksyms_entries:\n", n
        for (i = 0; i < n; i++) printf "        .quad 0x%s, .Lname%d\n", addr[i], i
        for (i = 0; i < n; i++) printf ".Lname%d: .asciz \"%s\"\n", i, name[i]
    }'
