/* The user-side benchmarks (`make bench`): the timing loop and report (stats.c), the server
 * process the IPC benchmarks talk to (peer.c), the IPC figures (ipc.c, ipc_more.c). Every
 * figure is one line "bench: NAME median=N min=N max=N unit=tsc iters=N [extra]", the format
 * of the kernel's benchmarks; tools/bench.sh turns unit=tsc into the real unit. */
#pragma once

#include <wingos.h>

#define BENCH_WARMUP    200
#define BENCH_SECOND_NS 1000000000ull

/* The time-stamp counter, fenced so the measured instructions stay between two reads. */
static inline uint64_t bench_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Sorts `samples` and prints the figure's line; `extra` (may be NULL) goes at its end. */
void bench_report(const char *name, uint64_t *samples, size_t count, const char *extra);

typedef bool (*bench_step)(void);

/* Runs `step` BENCH_WARMUP + iters times and reports the timed iterations; a failing step
 * prints "bench: NAME failed" instead. */
void bench_run(const char *name, bench_step step, size_t iters);

/* ---- The server process: this program started as "bench ipc-server HANDLE" ---- */

/* Entry 0 of a call to the server says what to do; any other value is echoed back. */
enum bench_op {
    BENCH_OP_SHARE = 0x5348, /* entry 1: a physical memory asset, mapped read-only */
    BENCH_OP_SUM = 0x5355,   /* entry 1: bytes; reply entry 1: the sum of those shared words */
    BENCH_OP_COUNT = 0x434e, /* reply entry 1: one-way messages received so far */
};

/* Where each side maps the shared page of the payload benchmark. */
#define BENCH_SHARED_ADDRESS 0x500000200000ull
#define BENCH_SHARED_BYTES   4096

/* Serves the one connection to `server` until it closes; the process's exit status. */
int bench_server_main(wg_handle server);

/* A server process in its own space, pinned to a CPU, and our connection to it. */
struct bench_peer {
    wg_handle space, task, connection;
};

/* Starts the server process pinned to `cpu` and connects; *address_out (may be NULL) gets
 * its server address. False if any step failed (bench_peer_stop still cleans up). */
bool bench_peer_start(struct bench_peer *peer, unsigned cpu, uint64_t *address_out);
void bench_peer_stop(struct bench_peer *peer);

/* Pins the calling task to `cpu` (UINT64_MAX mask when cpu is BENCH_ANY_CPU); false if the
 * machine has no such CPU. */
#define BENCH_ANY_CPU (~0u)
bool bench_pin(unsigned cpu);

/* The IPC figures. */
void bench_ipc_calls(void);
void bench_ipc_send(void);
void bench_ipc_payload(void);
void bench_name_lookup(void);
