#!/usr/bin/env python3
"""Boots build/wingos.iso (make iso) through GRUB, once under BIOS (SeaBIOS) and once under
UEFI (OVMF), and checks each reaches the shell prompt. The BIOS boot then runs a command and
powers off with `shutdown`, and QEMU must exit with status 0. Under UEFI the kernel finds no
ACPI tables (Multiboot 1 does not pass the RSDP, which OVMF keeps outside the BIOS area), so
it runs on one CPU without the I/O APIC: the console gets no input interrupt there and no
command is typed (docs/building.md#boot-media). Prints "PASS/FAIL
system/iso/NAME" lines, then "iso: N passed, M failed"; logs in build/iso-{bios,uefi}.log."""

import os
import sys

import shell_test as st

BOOT_TIMEOUT = 120  # GRUB's menu waits a second; OVMF starts slowly under TCG


def boot(checks, label, uefi):
    qemu = st.Qemu(os.path.join(st.ROOT, "build", "wingos.iso"), UEFI="1" if uefi else "0")
    checks.qemu = qemu
    try:
        if qemu.read_until(st.PROMPT, BOOT_TIMEOUT) is None:
            return checks.report(f"{label}/prompt", f"no prompt; got {bytes(qemu.log[-300:])!r}")
        checks.report(f"{label}/prompt")
        if not uefi:
            checks.expect(f"{label}/command", f"echo booted from {label}",
                          [rf"^booted from {label}$"])
            qemu.type(b"shutdown\r")
            try:
                status = qemu.proc.wait(timeout=30)
                checks.report(f"{label}/shutdown", None if status == 0 else f"status {status}")
            except Exception:  # still running
                checks.report(f"{label}/shutdown", "QEMU still runs")
    finally:
        qemu.kill()
        with open(os.path.join(st.ROOT, "build", f"iso-{label}.log"), "wb") as f:
            f.write(qemu.log)


class IsoChecks(st.Checks):
    def report(self, name, why=None):
        print(f"{'PASS' if why is None else 'FAIL'} system/iso/{name}{'' if why is None else ': ' + why}",
              flush=True)
        if why is None:
            self.passed += 1
        else:
            self.failed += 1


def main():
    checks = IsoChecks(None)
    boot(checks, "bios", False)
    boot(checks, "uefi", True)
    print(f"iso: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
