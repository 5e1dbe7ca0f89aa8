#!/usr/bin/env python3
"""The boot_to_prompt figure of `make bench`: wall-clock milliseconds from starting QEMU (the
kernel booted directly, as `make run` does) to the shell's first "wingos> " on the serial
line, over ITERS boots (default 3); each boot then ends with `shutdown`. Prints
  bench: boot_to_prompt median=N min=N max=N unit=ms accel=tcg|kvm iters=N
Environment: as tools/qemu.sh (KVM, SMP, MEM; ACCEL names the accelerator in the line)."""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "system"))
import shell_test as st  # noqa: E402


def one_boot():
    started = time.monotonic()
    qemu = st.Qemu(KVM=os.environ.get("KVM", ""), SMP=os.environ.get("SMP", "2"),
                   MEM=os.environ.get("MEM", "512M"))
    try:
        if qemu.read_until(st.PROMPT, 120) is None:
            return None
        elapsed = (time.monotonic() - started) * 1000
        qemu.type(b"shutdown\r")
        try:
            qemu.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        return elapsed
    finally:
        qemu.kill()


def main():
    iters = int(os.environ.get("ITERS", "3"))
    times = []
    for _ in range(iters):
        ms = one_boot()
        if ms is None:
            print("bench: boot_to_prompt skipped: no prompt within 120 s")
            return 1
        times.append(ms)
    times.sort()
    accel = os.environ.get("ACCEL", "tcg")
    print(f"bench: boot_to_prompt median={round(times[len(times) // 2])} min={round(times[0])} "
          f"max={round(times[-1])} unit=ms accel={accel} iters={iters}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
