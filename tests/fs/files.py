#!/usr/bin/env python3
"""The files system test's host side (tests/system/run.sh, shape "files").

  files.py tree DIR       writes the known tree: files of sizes around every block-map
                          boundary of 1 KiB blocks (direct, single, double indirect), /big with
                          1,000 entries, a 20-level deep path, a hard link, a symbolic link, and
                          /MANIFEST ("SHA256 SIZE PATH" per regular file), read back by fstest.
  files.py check IMAGE    after WingOS ran fstest: what debugfs shows of the tree it created,
                          rewrote, renamed and deleted must be exactly the expected content.
Prints PASS/FAIL lines like the other suites."""

import hashlib
import os
import re
import subprocess
import sys
import tempfile


def pattern(size, seed):
    """The bytes fstest writes too (user/tests/fstest/fstest.h, fstest_pattern)."""
    return bytes(((i * 31 + seed * 7 + (i >> 9)) & 0xff) for i in range(size))


SIZES = [0, 1, 1023, 1024, 1025, 12 * 1024, 12 * 1024 + 1, 268 * 1024, 268 * 1024 + 1,
         300 * 1000, 1 << 20, 3 * (1 << 20) + 77]


def make_tree(root):
    manifest = []

    def put(rel, data):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        manifest.append(f"{hashlib.sha256(data).hexdigest()} {len(data)} /{rel}")

    for i, size in enumerate(SIZES):
        put(f"sizes/s{size}", pattern(size, i + 10))
    for i in range(1000):
        put(f"big/e{i}", f"entry {i}\n".encode())
    deep = "/".join(f"d{i}" for i in range(20))
    put(f"{deep}/leaf", b"at the bottom\n")
    os.link(os.path.join(root, "sizes/s1025"), os.path.join(root, "hardlink"))
    manifest.append(manifest[4].rsplit(" ", 1)[0] + " /hardlink")
    os.symlink("sizes/s12289", os.path.join(root, "symlink"))
    manifest.append(manifest[6].rsplit(" ", 1)[0] + " /symlink")
    os.makedirs(os.path.join(root, "boot"))
    with open(os.path.join(root, "MANIFEST"), "w") as f:
        f.write("\n".join(manifest) + "\n")


def expected_tree():
    """What fstest leaves under /t (user/tests/fstest/write.c), path -> bytes."""
    b = bytearray(pattern(5000, 2))
    b[1000:1100] = pattern(100, 3)
    return {
        "/t/renamed/b": bytes(b),
        "/t/renamed/c": pattern(4096, 4) + b"appended\n",
        "/t/renamed/trunc": pattern(70000, 6)[:1500],
        "/t/d2/moved": pattern(300000, 1),
        "/t/d2/replace": pattern(200, 8),
    }


def debugfs(image, request):
    return subprocess.run(["debugfs", "-R", request, image], capture_output=True).stdout


def readlink(image, path):
    """A symbolic link's target: a fast one is in debugfs's stat, a slow one is its data."""
    shown = debugfs(image, f"stat {path}").decode(errors="replace")
    fast = re.search(r'Fast link dest: "(.*)"', shown)
    return fast.group(1) if fast else debugfs(image, f"cat {path}").decode(errors="replace")


def stat_fields(image, path):
    """(inode, type, links) of `path` as debugfs stat shows them, or None."""
    shown = debugfs(image, f"stat {path}").decode(errors="replace")
    found = re.search(r"Inode: (\d+) +Type: (\S+).*?Links: (\d+)", shown, re.S)
    return (int(found.group(1)), found.group(2), int(found.group(3))) if found else None


def check_links(image, report):
    """What fstest leaves in /links (user/tests/fstest/t_links.c)."""
    orig, hard = stat_fields(image, "/links/orig"), stat_fields(image, "/links/hard")
    report("host_links_hard", orig is not None and orig == hard and orig[1:] == ("regular", 2),
           f"{orig} {hard}")
    got = debugfs(image, "cat /links/hard")
    report("host_links_hard_content", got == pattern(3000, 12), f"{len(got)} bytes")
    slow = "./" * 39 + "orig"
    for name, want in (("soft", "orig"), ("slow", slow), ("dangling", "nowhere")):
        fields, target = stat_fields(image, f"/links/{name}"), readlink(image, f"/links/{name}")
        report(f"host_links_{name}", fields is not None and fields[1:] == ("symlink", 1)
               and target == want, f"{fields} {target!r}")


def check(image):
    failed = 0

    def report(name, ok, why=""):
        nonlocal failed
        failed += 0 if ok else 1
        print(f"{'PASS' if ok else 'FAIL'} system/files/{name}{'' if ok else ': ' + why}")

    fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    report("host_e2fsck_clean", fsck.returncode == 0, fsck.stdout[-400:])
    for path, want in expected_tree().items():
        got = debugfs(image, f"cat {path}")
        report("host_content" + path.replace("/", "_"), got == want,
               f"{len(got)} bytes, want {len(want)}")
    def names(directory):
        """The names in use ("/INODE/MODE/UID/GID/NAME/SIZE/" lines; inode 0: a free slot)."""
        lines = debugfs(image, f"ls -p {directory}").decode().split("\n")
        return {p[5] for p in (line.split("/") for line in lines) if len(p) >= 7 and p[1] != "0"}

    listing = names("/t/d2")
    report("host_t_d2_names", listing == {".", "..", "moved", "replace"}, str(sorted(listing)))
    listing = names("/t")
    report("host_t_names", listing == {".", "..", "renamed", "d2"}, str(sorted(listing)))
    listing = names("/big")
    want = {".", ".."} | {f"e{i}" for i in range(100, 1000)}
    report("host_big_names", listing == want, f"{len(listing)} names")
    listing = names("/links")
    want = {".", "..", "orig", "hard", "soft", "slow", "dangling"}
    report("host_links_names", listing == want, str(sorted(listing)))
    check_links(image, report)
    return failed


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "tree":
        make_tree(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(1 if check(sys.argv[2]) else 0)
    else:
        sys.exit("usage: files.py tree DIR | check IMAGE")
