# gdb script for tools/trace-step.sh: attach to QEMU's gdbstub, stop at the TRACE_SKIP-th
# entry of the function at TRACE_ADDR whose first bytes are TRACE_SIG (user programs share
# addresses), then write TRACE_STEPS instruction addresses, one per stepi, to TRACE_OUT.
import os

import gdb

addr = int(os.environ["TRACE_ADDR"], 16)
sig = bytes.fromhex(os.environ["TRACE_SIG"])
skip = int(os.environ["TRACE_SKIP"])
steps = int(os.environ["TRACE_STEPS"])
gdb.execute("set pagination off")
gdb.execute("target remote :1234")
gdb.execute("hbreak *%#x" % addr)
inferior = gdb.selected_inferior()
hits = 0
while hits < skip:
    gdb.execute("continue", to_string=True)
    try:
        if bytes(inferior.read_memory(addr, len(sig))) == sig:
            hits += 1
    except gdb.MemoryError:
        pass
gdb.execute("delete")
with open(os.environ["TRACE_OUT"], "w") as out:
    for _ in range(steps):
        out.write("%x\n" % (int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF))
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
