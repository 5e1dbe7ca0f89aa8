#!/usr/bin/env python3
"""After the services shape: the files svctest's workload wrote under /tree and /copy must be
on the disk image exactly (read with debugfs), with the contents user/tests/svctest/faults.c
defines: file k has 1024 + k * 1531 bytes, byte i being (i * 31 + k * 17 + (i >> 9)) & 0xff.
Prints PASS/FAIL lines. Usage: svc_check.py IMAGE"""
import subprocess
import sys

FILES = 24


def expected(k):
    return bytes((i * 31 + k * 17 + (i >> 9)) & 0xFF for i in range(1024 + k * 1531))


def main():
    image = sys.argv[1]
    bad = []
    for top in ("tree", "copy"):
        for k in range(FILES):
            path = f"/{top}/d{k % 4}/f{k}"
            got = subprocess.run(["debugfs", "-R", f"cat {path}", image],
                                 capture_output=True).stdout
            if got != expected(k):
                bad.append(path)
    if bad:
        print(f"FAIL system/services/host_files_right: {len(bad)} differ, first {bad[0]}")
    else:
        print("PASS system/services/host_files_right")


main()
