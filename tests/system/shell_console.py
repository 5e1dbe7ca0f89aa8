"""The console and job-control checks of the shell test (tests/system/shell_test.py): exit
statuses by name, programs by name, kill targets and refusals, Ctrl-C/Ctrl-Z/Ctrl-D, fg and
bg, line-editing keys in every form, completion, UTF-8 and Tab, a background reader, 1000
lines of output while the user types (checked on an emulated screen), and shutdown."""

import re
import time

CTRL_A = b"\x01\x01"  # ^A is QEMU's escape key: ^A^A sends one
HOME_END_FORMS = [("ESC[H", b"\x1b[H", "ESC[F", b"\x1b[F"), ("ESCOH", b"\x1bOH", "ESCOF", b"\x1bOF"),
                  ("ESC[1~", b"\x1b[1~", "ESC[4~", b"\x1b[4~"),
                  ("ESC[7~", b"\x1b[7~", "ESC[8~", b"\x1b[8~"), ("ctrl_a", CTRL_A, "ctrl_e", b"\x05")]


def screen_lines(data):
    """The lines a terminal shows after `data` (CR, LF, BS, ESC[K, ESC[nC/D; other escape
    sequences are skipped)."""
    lines, row, col = [[]], 0, 0
    i = 0
    while i < len(data):
        c = data[i]
        i += 1
        if c == "\r":
            col = 0
        elif c == "\n":
            row += 1
            if row == len(lines):
                lines.append([])
        elif c == "\b":
            col = max(col - 1, 0)
        elif c == "\x1b":
            m = re.match(r"\[(\d*)([A-Za-z~])|O[A-Za-z]", data[i:])
            if not m:
                continue
            i += m.end()
            n = int(m.group(1) or 1) if m.group(1) is not None else 1
            final = m.group(2)
            if final == "K":
                del lines[row][col:]
            elif final == "D":
                col = max(col - n, 0)
            elif final == "C":
                col += n
        elif c >= " ":
            line = lines[row]
            line.extend(" " * (col - len(line)))
            if col < len(line):
                line[col] = c
            else:
                line.append(c)
            col += 1
    return ["".join(line) for line in lines]


def keys_then_prompt(checks, name, first, wait_for, keys, patterns, timeout=15):
    """Types `first` + Enter, waits for `wait_for` in the output, then types `keys` (no Enter)
    and checks the output up to the next prompt."""
    q = checks.qemu
    q.take_pending()
    q.type(first + b"\r")
    seen = q.read_until(wait_for, timeout)
    if seen is None:
        return checks.report(name, f"no {wait_for!r}; got {q.pending[-300:]!r}")
    time.sleep(0.3)
    q.type(keys)
    out = q.read_until_quiet(b"\r\nwingos> ", timeout, quiet=1.0)  # Ctrl-C's grace: 0.5 s
    if out is None:
        return checks.report(name, f"no prompt; got {q.pending[-300:]!r}")
    text = (seen + out).decode("utf-8", "replace").replace("\r\n", "\n")
    missing = [p for p in patterns if not re.search(p, text, re.M)]
    checks.report(name, f"missing /{missing[0]}/ in {text[-300:]!r}" if missing else None)
    return text


def check_statuses(checks):
    checks.expect("by_name", "hello a b", [r"^hello: argument 2: b$", r"^exited 7$"])
    checks.expect("status_page_fault", "faulter null_read",
                  [r"^killed: page fault$",
                   r"(^|\x1b\[K)\[warn\]  task \d+ \(faulter\) killed: page fault at rip"])
    checks.expect("status_invalid_opcode", "faulter invalid_opcode", [r"^killed: invalid opcode$"])
    checks.expect("unknown_option", "help -x", [r"^error: help: unknown option '-x'$"])
    checks.expect("extra_argument", "uptime extra", [r"^error: uptime takes no arguments$"])
    checks.expect("kill_usage", "kill", [r"^usage: kill %J \| kill TASK \| kill space SPACE$"])


def check_kill_targets(checks):
    ps = checks.command("ps") or ""
    init = re.search(r"^ *task +(\d+) +init\b", ps, re.M)
    console = re.search(r"^ *task +(\d+) +console\b", ps, re.M)
    space = re.search(r"^space (\d+)$", ps, re.M)
    if not (init and console and space):
        return checks.report("kill_refusals", f"init, console or root space not in {ps!r}")
    checks.expect("kill_refuses_init", f"kill {init.group(1)}",
                  [rf"^kill: refused: task {init.group(1)} is init"])
    checks.expect("kill_refuses_console", f"kill {console.group(1)}",
                  [rf"^kill: refused: task {console.group(1)} is the console"])
    checks.expect("kill_refuses_init_space", f"kill space {space.group(1)}",
                  [rf"^kill: refused: space {space.group(1)} is init"])
    checks.expect("kill_no_task", "kill 999999", [r"^error: no task 999999$"])
    checks.command("sleep &")
    ps = checks.command("ps") or ""
    task = re.search(r"^( *)task +(\d+) +sleep\b", ps, re.M)
    if not task:
        return checks.report("kill_task_id", f"no sleep task in {ps!r}")
    checks.expect("kill_task_id", f"kill {task.group(2)}", [rf"^task {task.group(2)} killed$"])
    time.sleep(0.3)
    checks.expect("killed_job_reported", "jobs", [r"^\[job \d+\] done \(sleep\): killed$"])
    out = checks.expect("kill_space_id_start", "sleep &", [r"^\[job \d+\] started$"])
    ps = checks.command("ps") or ""
    lines = ps.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^ *task +\d+ +sleep\b", line) and i > 0:
            found = re.match(r"^ *space (\d+)$", lines[i - 1])
            if found:
                job = re.search(r"\[job (\d+)\]", out or "")
                number = job.group(1) if job else "0"
                checks.expect("kill_space_id", f"kill space {found.group(1)}",
                              [rf"^\[job {number}\] killed$"])
                return
    checks.report("kill_space_id", f"no space above the sleep task in {ps!r}")


def check_control_keys(checks):
    keys_then_prompt(checks, "ctrl_c_busy", b"spin", b"spin: spinning", b"\x03",
                     [r"\^C", r"^killed \(interrupted\)$"])
    keys_then_prompt(checks, "ctrl_c_sleeping", b"sleep 100", b"sleep 100\r\n", b"\x03",
                     [r"^sleep: interrupted$", r"^exited 130$"])
    keys_then_prompt(checks, "ctrl_c_reader", b"ask", b"type a line: ", b"\x03",
                     [r"ask: interrupted$", r"^error KILLED$"])
    text = keys_then_prompt(checks, "ctrl_z_stops", b"sleep 100", b"sleep 100\r\n", b"\x1a",
                            [r"^\[job \d+\] stopped \(sleep\)$"])
    job = re.search(r"\[job (\d+)\] stopped", text or "")
    j = job.group(1) if job else "0"
    checks.expect("jobs_stopped", "jobs", [rf"^\[job {j}\] stopped \(sleep\)$"])
    checks.expect("ps_stopped", "ps", [r"task +\d+ +sleep .* stopped$"])
    checks.expect("bg", f"bg %{j}", [rf"^\[job {j}\] running \(sleep\)$"])
    checks.expect("jobs_running_again", "jobs", [rf"^\[job {j}\] running \(sleep\)$"])
    keys_then_prompt(checks, "fg_then_ctrl_c", f"fg %{j}".encode(), b"sleep\r\n", b"\x03",
                     [r"^sleep: interrupted$", r"^exited 130$"])
    checks.expect("ctrl_c_clears_line", b"echo not run\x03echo after", [r"^after$"])
    q = checks.qemu
    q.take_pending()
    q.type(b"\x04")
    out = q.read_until_quiet(b"\r\nwingos> ", 10)
    ok = out is not None and b"Ctrl-A then X" in out
    checks.report("ctrl_d_says_how_to_leave", None if ok else f"got {q.pending[-200:]!r}")


def check_editing_keys(checks):
    for home_name, home, end_name, end in HOME_END_FORMS:
        checks.expect(f"edit_{home_name}_{end_name}", b"cho x" + home + b"e" + end + b"y",
                      [r"^xy$"])
    checks.expect("edit_ctrl_u", b"rubbish\x15echo u", [r"^u$"])
    checks.expect("edit_ctrl_k", b"echo keptXXX\x1b[D\x1b[D\x1b[D\x0b", [r"^kept$"])
    checks.expect("edit_ctrl_w", b"echo one two\x17three", [r"^one three$"])
    checks.expect("edit_delete", b"echo abXc" + b"\x1b[D" * 2 + b"\x1b[3~", [r"^abc$"])
    out = checks.command(b"echo cleared\x0c")
    ok = out is not None and "\x1b[2J" in out and re.search(r"^cleared$", out, re.M)
    checks.report("edit_ctrl_l", None if ok else f"got {out!r}")


def check_completion(checks):
    checks.expect("complete_program", b"hell\t a", [r"^hello: argument 1: a$", r"^exited 7$"])
    checks.expect("complete_command", b"upt\t", [r"^up \d+\.\d{3} s$"])
    checks.expect("complete_common_part", b"ec\t x", [r"^x$"])  # echo, echo_client...
    checks.expect("complete_after_run", b"run sle\t1", [r"^exited 0$"])
    q = checks.qemu
    q.take_pending()
    q.type(b"sh\t")
    listed = q.drain(1.0).decode("latin-1")
    ok = "shell" in listed and "shutdown" in listed
    checks.report("complete_lists", None if ok else f"listed {listed!r}")
    checks.command(b"\x15")


def check_utf8(checks):
    word = "héllo wörld ✓ 日本"
    out = checks.command(("echo " + word).encode("utf-8"))
    raw = (out or "").encode("latin-1").decode("utf-8", "replace")
    checks.report("utf8_echo", None if re.search(rf"^{word}$", raw, re.M) else f"got {raw!r}")
    typed = "naïve ☃\tend"
    text = keys_then_prompt(checks, "utf8_and_tab_read", b"ask", b"type a line: ",
                            typed.encode("utf-8") + b"\r", [])
    want = f"ask: got '{typed}' ({len(typed.encode('utf-8'))} bytes)"
    checks.report("utf8_round_trip", None if text and want in text else f"got {text!r}")


def check_background_reader(checks):
    said = checks.expect("background_reader_starts", "ask &", [r"^\[job \d+\] started$"]) or ""
    said += checks.qemu.drain(1.0).decode("latin-1")
    ok = "ask: cannot read: not in the foreground (ACCESS_DENIED)" in said
    checks.report("background_reader_refused", None if ok else f"got {said!r}")
    checks.expect("background_reader_status", "jobs",
                  [r"^\[job \d+\] done \(ask\): error ACCESS_DENIED$"])


def check_lines_while_typing(checks):
    q = checks.qemu
    q.take_pending()
    q.type(b"count 1000 &\r")
    q.read_until(b"started", 10)
    typed = b"echo typed while counting"
    q.type(typed, delay=0.02)
    q.type(b"\r")
    first = q.read_until(b"count: line 1000 of 1000", 60)
    rest = q.read_until_quiet(b"\r\nwingos> ", 15, quiet=1.0) if first else None
    if first is None or rest is None:
        return checks.report("lines_while_typing", f"no end; got {q.pending[-300:]!r}")
    screen = screen_lines((first + rest).decode("latin-1"))
    counted = [l for l in screen if l.startswith("count: ")]
    mixed = [l for l in screen if "count:" in l and not re.fullmatch(r"count: line \d+ of 1000", l)]
    whole = len(counted) == 1000 and not mixed
    checks.report("lines_never_split", None if whole else
                  f"{len(counted)} count lines, mixed: {mixed[:3]!r}")
    typed_line = [l for l in screen if l.startswith("wingos> echo typed")]
    ok = typed_line and typed_line[0] == "wingos> " + typed.decode() and "typed while counting" in screen
    checks.report("typing_survives_output", None if ok else f"typed lines {typed_line!r}")


def check_shutdown(checks):
    q = checks.qemu
    q.take_pending()
    q.type(b"shutdown\r")
    q.read_until(b"powering off", 10)
    try:
        status = q.proc.wait(timeout=20)
    except Exception:  # still running
        return checks.report("shutdown", f"QEMU still runs; got {q.pending[-200:]!r}")
    checks.report("shutdown", None if status == 0 else f"QEMU exited with {status}")


def run_checks(checks):
    check_statuses(checks)
    check_kill_targets(checks)
    check_control_keys(checks)
    check_editing_keys(checks)
    check_completion(checks)
    check_utf8(checks)
    check_background_reader(checks)
    check_lines_while_typing(checks)
    check_shutdown(checks)
