#!/usr/bin/env python3
"""Symbolises a trace of instruction addresses (tools/trace-step.sh) and prints, for one
step (from one entry of FUNCTION to the next), the run of functions in order and the
instructions per function. Usage: trace_symbolize.py PCS FUNCTION KERNEL_ELF USER_ELF"""
import bisect
import collections
import subprocess
import sys

KERNEL_HALF = 0xFFFF800000000000


def symbols(elf):
    listing = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True)
    table = []
    for line in listing.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return [a for a, _ in table], [n for _, n in table]


def main():
    pcs_path, function, kernel_elf, user_elf = sys.argv[1:5]
    kernel, user = symbols(kernel_elf), symbols(user_elf)

    def name(address):
        addresses, names = kernel if address >= KERNEL_HALF else user
        i = bisect.bisect_right(addresses, address) - 1
        return names[i] if i >= 0 else "?"

    names = [name(int(line, 16)) for line in open(pcs_path) if line.strip()]
    entries = [i for i, n in enumerate(names) if n == function and (i == 0 or names[i - 1] != n)]
    if len(entries) < 2:
        sys.exit("trace: fewer than two entries of %s; trace more steps" % function)
    step = names[entries[0]:entries[1]]
    runs = []
    for n in step:
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    print("trace: one step of %s = %d instructions" % (function, len(step)))
    print("in order: " + "  ".join("%s:%d" % (n, c) for n, c in runs))
    print("per function:")
    for n, c in collections.Counter(step).most_common():
        print("%6d  %s" % (c, n))


main()
