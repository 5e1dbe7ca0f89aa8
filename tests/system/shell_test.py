#!/usr/bin/env python3
"""System test of the console driver and the shell: boots WingOS under QEMU (TCG) in normal
mode, types commands into the shell over the serial console (QEMU's stdio) and checks what
comes back. Prints "PASS system/shell/<name>" or "FAIL system/shell/<name>: <why>" per
check, then "shell: N passed, M failed"; exits non-zero if a check failed. QEMU is always
killed at the end.

Environment: KERNEL (default build/test/kernel32.elf, the test kernel: heap debugging on; the
Qemu class alone defaults to the production kernel, build/kernel32.elf), INITRD (default build/initrd.tar),
SHELL_TEST_LOG (where to keep the whole serial output; default build/shell_test.log)."""

import os
import re
import select
import signal
import subprocess
import sys
import time

import shell_console

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROMPT = b"wingos> "
END_OF_COMMAND = b"\r\n" + PROMPT  # the prompt at the start of a line: the command is done
BOOT_TIMEOUT = 60
COMMAND_TIMEOUT = 15
BYTE_DELAY = 0.002  # the UART FIFO holds 16 bytes: type, do not paste
TOTAL_LIMIT = 400  # seconds; a hang must not outlive the harness
LINE_MAX = 256
QUIET = 0.25  # seconds without output that end a command's answer


def make_disk():
    """A fresh ext2 disk with /bin/hello and /bin/sleep (tools/mkdisk.sh), for check_files."""
    image = os.path.join(ROOT, "build", "shell-disk.img")
    subprocess.run(["sh", "tools/mkdisk.sh", image, "8M", "build/user/bin", "hello", "sleep"],
                   cwd=ROOT, check=True, capture_output=True)
    return image


class Qemu:
    """QEMU with the serial console on its stdin/stdout, and everything it printed."""

    def __init__(self, kernel=None, **extra_env):
        env = dict(os.environ, KVM="0", TCG_ACCEL="tcg,thread=single", SMP="2", MEM="256M",
                   APPEND="", INITRD=os.environ.get("INITRD", "build/initrd.tar"),
                   DISK=make_disk(), DISK_IF="virtio")
        env.update(extra_env)
        kernel = kernel or os.environ.get("KERNEL", "build/kernel32.elf")
        self.proc = subprocess.Popen(["sh", "tools/qemu.sh", kernel], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.pending = b""  # read, not yet given to a check
        self.log = bytearray()

    def read_until(self, pattern, timeout):
        """Output up to and including `pattern`, or None (and what came is kept) on timeout."""
        deadline = time.monotonic() + timeout
        while pattern not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.1))
            if not ready:
                continue
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                return None  # QEMU is gone
            self.pending += data
            self.log += data
        end = self.pending.index(pattern) + len(pattern)
        out, self.pending = self.pending[:end], self.pending[end:]
        return out

    def read_until_quiet(self, pattern, timeout, quiet=QUIET):
        """Output up to the last `pattern` after which nothing came for `quiet` seconds: the
        console redraws a prompt under lines that arrive while it is open, so a prompt is the
        end of a command only once the output has stopped."""
        out = self.read_until(pattern, timeout)
        while out is not None:
            more = self.read_until(pattern, quiet)
            if more is None:
                return out
            out += more
        return None

    def drain(self, seconds):
        """Everything that arrives within `seconds` (and what was pending)."""
        self.read_until(b"\0never\0", seconds)
        return self.take_pending()

    def take_pending(self):
        out, self.pending = self.pending, b""
        return out

    def type(self, data, delay=BYTE_DELAY):
        for i in range(len(data)):
            self.proc.stdin.write(data[i:i + 1])
            self.proc.stdin.flush()
            time.sleep(delay)

    def paste(self, data, chunk=64, delay=0.01):
        """Sends a lot of input quickly, in chunks (the shell ignores most of it)."""
        for i in range(0, len(data), chunk):
            self.proc.stdin.write(data[i:i + chunk])
            self.proc.stdin.flush()
            time.sleep(delay)

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()


class Checks:
    def __init__(self, qemu):
        self.qemu = qemu
        self.passed = 0
        self.failed = 0

    def report(self, name, why=None):
        if why is None:
            print(f"PASS system/shell/{name}", flush=True)
            self.passed += 1
        else:
            print(f"FAIL system/shell/{name}: {why}", flush=True)
            self.failed += 1

    def command(self, keys, timeout=COMMAND_TIMEOUT, paste=False):
        """Types `keys` and Enter; what came back up to the next prompt (the echoed line, the
        command's output, log lines of programs), lines ending in "\n", or None if no prompt
        came back. Patterns anchored with ^ do not match the echoed line, which starts with
        the command's name."""
        self.qemu.take_pending()
        data = keys.encode("latin-1") if isinstance(keys, str) else keys
        if paste:
            self.qemu.paste(data)
            time.sleep(0.3)  # let the shell catch up before Enter
        else:
            self.qemu.type(data)
        self.qemu.type(b"\r")
        out = self.qemu.read_until_quiet(END_OF_COMMAND, timeout)
        if out is None:
            return None
        return out[:-len(END_OF_COMMAND)].decode("latin-1").replace("\r\n", "\n")

    def expect(self, name, keys, patterns, timeout=COMMAND_TIMEOUT, paste=False):
        """Runs a command; passes if every regular expression matches its output. Returns the
        output (None without a prompt)."""
        out = self.command(keys, timeout, paste)
        if out is None:
            self.report(name, f"no prompt within {timeout} s; got {self.qemu.pending[-200:]!r}")
            return None
        missing = [p for p in patterns if not re.search(p, out, re.M)]
        self.report(name, f"missing /{missing[0]}/ in {out[-300:]!r}" if missing else None)
        return out


def check_ps(checks):
    out = checks.command("ps")
    if out is None:
        return checks.report("ps", "no prompt")
    lines = out.split("\n")
    for i, line in enumerate(lines):
        task = re.match(r"^( *)task +\d+ +shell\b", line)
        if not task:
            continue
        indent = len(task.group(1)) - 2
        for above in reversed(lines[:i]):
            if re.match(r"^ {%d}space \d+$" % indent, above):
                return checks.report("ps")
        return checks.report("ps", f"the shell's task is not under a space: {out!r}")
    checks.report("ps", f"no shell task in {out!r}")


def check_mem(checks):
    out = checks.expect("mem", "mem", [r"^node 0: \d+ KiB free of \d+ KiB$", r"^total: "])
    found = re.search(r"^total: (\d+) KiB free of (\d+) KiB$", out or "", re.M)
    if found and not (0 < int(found.group(1)) <= int(found.group(2)) <= 256 * 1024):
        checks.report("mem_plausible", f"{found.group(0)!r} for a 256 MiB machine")
    elif found:
        checks.report("mem_plausible")


def check_uptime(checks):
    first = checks.expect("uptime", "uptime", [r"^up \d+\.\d{3} s$"])
    second = checks.command("uptime")
    times = [re.search(r"^up (\d+\.\d{3}) s$", o or "", re.M) for o in (first, second)]
    if all(times) and 0 < float(times[0].group(1)) <= float(times[1].group(1)) < 600:
        checks.report("uptime_advances")
    else:
        checks.report("uptime_advances", f"got {first!r} then {second!r}")


def check_jobs(checks):
    out = checks.expect("run_background", "run sleep &", [r"^\[job \d+\] started$"])
    job = re.search(r"^\[job (\d+)\] started$", out or "", re.M)
    if not job:
        return checks.report("jobs", "no job started")
    j = job.group(1)
    checks.expect("jobs", "jobs", [rf"^\[job {j}\] running \(sleep\)$"])
    checks.expect("kill", f"kill %{j}", [rf"^\[job {j}\] killed$"])
    out = checks.expect("jobs_after_kill", "jobs", [r"^no jobs running$"])
    checks.expect("background_exit", "run hello bg &", [r"^\[job \d+\] started$"])
    time.sleep(0.5)
    checks.expect("background_done", "jobs", [r"^\[job \d+\] done \(hello\): exited 7$"])


def check_long_line(checks):
    checks.expect("line_max_fits", "echo " + "y" * (LINE_MAX - 5), [r"^y{%d}$" % (LINE_MAX - 5)])
    checks.expect("line_too_long", "echo " + "x" * 10000,
                  [r"^error: line too long \(max 256\)$"], paste=True)
    checks.expect("after_long_line", "echo still here", [r"^still here$"])


def check_garbage(checks):
    bound = (0x01, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x15, 0x17, 0x1b)
    garbage = bytes(b for b in range(0x20) if b not in bound)  # keys without a meaning
    garbage += bytes(range(0x80, 0x100))  # never well-formed UTF-8 in this order
    checks.qemu.take_pending()
    checks.qemu.paste(garbage, chunk=8, delay=0.005)
    echoed = checks.qemu.drain(0.5).decode("latin-1")
    checks.expect("garbage_ignored", "echo alive", [r"^alive$"])
    junk = [c for c in echoed if ord(c) >= 0x80 or (ord(c) < 0x20 and c not in "\r\n")]
    checks.report("garbage_not_echoed", f"the shell echoed {echoed!r}" if junk else None)


def check_editing(checks):
    checks.expect("edit_backspace", "echx\x7fo hi", [r"^hi$"])
    checks.expect("edit_backspace_ctrl_h", "echo abx\x08c", [r"^abc$"])
    left = "\x1b[D"
    checks.expect("edit_left_insert", "eho left" + left * 7 + "c", [r"^left$"])
    checks.expect("edit_right", "echo ac" + left * 2 + "\x1b[C" + "b", [r"^abc$"])
    checks.expect("history_up", "\x1b[A", [r"^abc$"])
    checks.expect("history_up_down", "\x1b[A\x1b[A\x1b[A\x1b[B", [r"^left$"])


def check_drvtest(checks):
    out = checks.command("run drvtest", timeout=40)
    if out is None:
        return checks.report("drvtest", "no prompt after run drvtest")
    for verdict, name, why in re.findall(r"utest: (PASS|FAIL) ([a-z0-9_]+)(.*)", out):
        checks.report(f"drvtest/{name}", None if verdict == "PASS" else why.strip(": \r"))
    done = re.search(r"utest: done: (\d+) passed, (\d+) failed", out)
    ok = done and int(done.group(1)) > 0 and done.group(2) == "0" and "exited 0" in out
    checks.report("drvtest", None if ok else f"output {out[-300:]!r}")


def check_files(checks):
    """The file commands on the disk of make_disk (mounted at / by the VFS)."""
    import hashlib
    quiet = [r"\A(?![\s\S]*error)"]  # a command that prints nothing, in particular no error
    checks.expect("files_ls", "ls /", [r"^bin/$", r"^boot/$", r"^etc/$", r"^tmp/$"])
    checks.expect("files_ls_boot", "ls /boot", [r"^hello$", r"^shell$"])
    checks.expect("files_write", "echo hello file > /tmp/x", quiet)
    checks.expect("files_append", "echo more >> /tmp/x", quiet)
    checks.expect("files_cat", "cat /tmp/x", [r"^hello file$", r"^more$"])
    digest = hashlib.sha256(b"hello file\nmore\n").hexdigest()
    checks.expect("files_sha256sum", "sha256sum /tmp/x", [rf"^{digest}  /tmp/x$"])
    checks.expect("files_cd_mkdir", "cd /tmp", quiet)
    checks.expect("files_mkdir", "mkdir d", quiet)
    checks.expect("files_mv", "mv x d", quiet)
    checks.expect("files_cp", "cp d/x y", quiet)
    checks.expect("files_ls_l", "ls -l d /tmp/y", [r"^- 0644 +16 x$", r"^- 0644 +16 /tmp/y$"])
    checks.expect("files_pwd", "pwd", [r"^/tmp$"])
    checks.expect("files_hexdump", "hexdump y", [r"^00000000  68 65 6c 6c 6f 20 66 69"])
    checks.expect("files_missing", "cat /nope", [r"^error: cat /nope: not found$"])
    checks.expect("files_not_dir", "ls /etc/motd/x", [r"^error: ls /etc/motd/x: not a directory$"])
    checks.expect("files_exists", "mkdir d", [r"^error: mkdir d: already exists$"])
    checks.expect("files_read_only", "touch /boot/x", [r"^error: touch /boot/x: read-only"])
    checks.expect("files_rmdir_busy", "rmdir d", [r"^error: rmdir d: directory not empty$"])
    checks.expect("files_rm", "rm d/x y", quiet)
    checks.expect("files_rmdir", "rmdir d", quiet)
    checks.expect("files_path_program", "hello a", [r"hello: argument 1: a", r"^exited 7$"])
    checks.expect("files_run_file", "run /bin/hello", [r"^exited 7$"])
    checks.expect("files_df", "df", [r"^/ +blk0 +ext2 ", r"^/boot +archive +bootfs"])
    checks.expect("files_stat", "stat /etc/motd", [r"^/etc/motd: file, \d+ bytes"])
    checks.expect("files_sync", "sync", quiet)
    checks.expect("files_ln_source", "echo linked > /tmp/lsrc", quiet)
    checks.expect("files_ln", "ln /tmp/lsrc lhard", quiet)
    checks.expect("files_ln_count", "stat lhard", [r"^/tmp/lhard: file, 7 bytes, \d+ blocks of 512, 2 links"])
    checks.expect("files_ln_s", "ln -s lsrc /tmp/lsoft", quiet)
    checks.expect("files_readlink", "readlink lsoft", [r"^lsrc$"])
    checks.expect("files_ln_s_cat", "cat lsoft", [r"^linked$"])
    checks.expect("files_ln_s_stat", "stat lsoft", [r"^/tmp/lsoft: symbolic link, 4 bytes"])
    checks.expect("files_ln_exists", "ln lsrc lhard", [r"^error: ln lhard: already exists$"])
    checks.expect("files_ln_dir", "ln /tmp /tmp/ldir",
                  [r"^error: ln /tmp: is a directory$", r"^note: a hard link cannot name a directory"])
    checks.expect("files_ln_cross", "ln /boot/hello h",
                  [r"^error: ln /boot/hello: not supported$", r"^note: a hard link cannot cross"])
    checks.expect("files_ln_read_only", "ln -s lsrc /boot/x", [r"^error: ln /boot/x: read-only"])
    checks.expect("files_ln_missing", "ln nope n2", [r"^error: ln nope: not found$"])
    checks.expect("files_readlink_file", "readlink lsrc",
                  [r"^error: readlink lsrc: not a symbolic link$"])
    checks.expect("files_ln_usage", "ln a", [r"^usage: ln EXISTING NEW \| ln -s TARGET PATH$"])
    checks.expect("files_ln_rm", "rm lsrc lhard lsoft", quiet)


def run_checks(checks):
    checks.expect("help", "help", [rf"^  \[?{c}\b" for c in
                                   ("help", "echo", "programs", "ls", "run", "jobs", "fg", "bg",
                                    "kill", "ps", "mem", "cpus", "uptime", "clear", "shutdown",
                                    "reboot")]
                  + [r"Ctrl-A then X"])
    checks.expect("echo", "echo hello   wingos", [r"^hello wingos$"])
    checks.expect("programs", "programs", [rf"^{p}$" for p in ("init", "shell", "hello",
                                                                 "console", "drvtest")])
    checks.expect("run", "run hello a b", [r"^hello: argument 2: b$", r"^exited 7$"])
    checks.expect("run_missing", "run no_such_program",
                  [r"^error: cannot run no_such_program: NOT_FOUND$"])
    check_jobs(checks)
    check_ps(checks)
    check_mem(checks)
    checks.expect("cpus", "cpus", [r"^2 CPUs in 1 NUMA node$", r"cpu 0 \(APIC \d+\)",
                                   r"cpu 1 \(APIC \d+\)", r"^distances:", r"^node 0 +10$"])
    check_uptime(checks)
    checks.expect("unknown", "frobnicate now", [r"^error: unknown command 'frobnicate' \(try help\)$"])
    checks.expect("empty_line", "", [r"^$"])
    check_long_line(checks)
    check_garbage(checks)
    check_editing(checks)
    check_drvtest(checks)
    check_files(checks)
    shell_console.run_checks(checks)  # ends with shutdown


def check_reboot(checks):
    """`reboot` resets the machine; QEMU, run with -no-reboot, then leaves by itself with 0.
    A boot of its own (the production kernel, what `make run` boots), after the shutdown."""
    qemu = Qemu(os.path.join("build", "kernel32.elf"))
    try:
        if qemu.read_until(PROMPT, BOOT_TIMEOUT) is None:
            return checks.report("reboot", "no prompt")
        qemu.type(b"reboot\r")
        try:
            status = qemu.proc.wait(timeout=30)
        except Exception:  # still running
            return checks.report("reboot", f"QEMU still runs; got {qemu.pending[-200:]!r}")
        checks.report("reboot", None if status == 0 else f"QEMU exited with {status}")
    finally:
        qemu.kill()


def on_alarm(signum, frame):
    raise TimeoutError(f"the whole test took more than {TOTAL_LIMIT} s")


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_LIMIT)
    qemu = Qemu(os.environ.get("KERNEL", os.path.join("build", "test", "kernel32.elf")))
    checks = Checks(qemu)
    try:
        if qemu.read_until(PROMPT, BOOT_TIMEOUT) is None:
            checks.report("boot", f"no prompt within {BOOT_TIMEOUT} s; "
                                  f"last output {bytes(qemu.log[-400:])!r}")
        else:
            checks.report("boot")
            run_checks(checks)
            check_reboot(checks)
    except (TimeoutError, OSError) as err:
        checks.report("harness", f"{err}")
    finally:
        signal.alarm(0)
        qemu.kill()
        log = os.environ.get("SHELL_TEST_LOG", os.path.join(ROOT, "build", "shell_test.log"))
        try:
            with open(log, "wb") as f:
                f.write(qemu.log)
        except OSError:
            pass
    print(f"shell: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
