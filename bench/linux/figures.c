/* The Linux reference figures: a null syscall (getppid), round trips between two processes
 * over a pipe, a Unix socket and a futex pair, and sched_yield ping-pong. One CPU, so every
 * round trip is two switches on the same CPU, like WingOS's ipc_call_same_cpu. */
#include "bench/linux/figures.h"

#include <linux/futex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/samples.h"

#define WARMUP 200

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

typedef bool (*step_fn)(void);

/* Times WARMUP + iters steps and prints the figure; each sample is divided by `per` (2 for
 * a figure that is half of what one step does). */
static void run(const char *name, step_fn step, size_t iters, unsigned per)
{
    uint64_t *samples = malloc(iters * sizeof *samples);
    if (!samples) {
        printf("bench: linux_%s failed: no memory\n", name);
        return;
    }
    for (size_t i = 0; i < WARMUP + iters; i++) {
        uint64_t start = tsc();
        if (!step()) {
            printf("bench: linux_%s failed\n", name);
            free(samples);
            return;
        }
        if (i >= WARMUP)
            samples[i - WARMUP] = (tsc() - start) / per;
    }
    struct samples_summary sum = samples_summarize(samples, iters);
    printf("bench: linux_%s median=%llu min=%llu max=%llu unit=tsc iters=%zu\n", name,
           (unsigned long long)sum.median, (unsigned long long)sum.min, (unsigned long long)sum.max,
           iters);
    free(samples);
}

static bool getppid_step(void)
{
    return syscall(SYS_getppid) == 0; /* init's parent is 0; the raw syscall, uncached */
}

/* ---- Byte round trips: we write one byte to `out`, the child echoes it back on `in` ---- */

static int to_child = -1, from_child = -1;

static bool byte_round_trip(void)
{
    char byte = 'x';
    return write(to_child, &byte, 1) == 1 && read(from_child, &byte, 1) == 1 && byte == 'x';
}

/* The child's side: echoes bytes until end of file. */
static void echo_bytes(int in, int out)
{
    char byte;
    while (read(in, &byte, 1) == 1)
        if (write(out, &byte, 1) != 1)
            break;
    _exit(0);
}

static void pipe_round_trip(void)
{
    int down[2], up[2];
    if (pipe(down) || pipe(up)) {
        printf("bench: linux_pipe_round_trip failed: pipe\n");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        close(down[1]);
        close(up[0]);
        echo_bytes(down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    to_child = down[1];
    from_child = up[0];
    if (child > 0)
        run("pipe_round_trip", byte_round_trip, 5000, 1);
    close(to_child);
    close(from_child);
    waitpid(child, NULL, 0);
}

static void unix_socket_round_trip(void)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair)) {
        printf("bench: linux_unix_socket_round_trip failed: socketpair\n");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        close(pair[0]);
        echo_bytes(pair[1], pair[1]);
    }
    close(pair[1]);
    to_child = from_child = pair[0];
    if (child > 0)
        run("unix_socket_round_trip", byte_round_trip, 5000, 1);
    close(pair[0]);
    waitpid(child, NULL, 0);
}

/* ---- Shared words for the yield and futex figures (a MAP_SHARED page, kept over fork) ---- */

struct shared {
    volatile uint32_t stop;
    uint32_t ping, pong; /* futex words: the round numbers each side last posted */
};

static struct shared *shared;

static bool yield_step(void)
{
    return syscall(SYS_sched_yield) == 0;
}

/* sched_yield with a second process yielding back: one step is two switches, so the figure
 * (half a step) is one switch plus a sched_yield syscall. */
static void sched_yield_switch(void)
{
    shared->stop = 0;
    pid_t child = fork();
    if (child == 0) {
        while (!shared->stop)
            syscall(SYS_sched_yield);
        _exit(0);
    }
    if (child > 0)
        run("sched_yield_switch", yield_step, 10000, 2);
    shared->stop = 1;
    waitpid(child, NULL, 0);
}

static long futex(uint32_t *word, int op, uint32_t value)
{
    return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

/* Waits until *word no longer holds `old` (the other side posts, then wakes us); the new value. */
static uint32_t await_change(uint32_t *word, uint32_t old)
{
    uint32_t seen;
    while ((seen = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == old)
        futex(word, FUTEX_WAIT, old);
    return seen;
}

static void post(uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
    futex(word, FUTEX_WAKE, 1);
}

/* We post round n on ping and wake the child; it posts n on pong and wakes us. */
static bool futex_step(void)
{
    uint32_t next = shared->ping + 1;
    post(&shared->ping, next);
    return await_change(&shared->pong, next - 1) == next;
}

/* The child: answers each new ping with the same number on pong, until told to stop. */
static void futex_partner(void)
{
    for (uint32_t last = 0;;) {
        last = await_change(&shared->ping, last);
        if (shared->stop)
            _exit(0);
        post(&shared->pong, last);
    }
}

static void futex_round_trip(void)
{
    shared->ping = shared->pong = shared->stop = 0;
    pid_t child = fork();
    if (child == 0)
        futex_partner();
    if (child > 0)
        run("futex_round_trip", futex_step, 5000, 1);
    shared->stop = 1;
    post(&shared->ping, shared->ping + 1);
    waitpid(child, NULL, 0);
}

void figures_run(void)
{
    shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    run("getppid", getppid_step, 10000, 1);
    pipe_round_trip();
    unix_socket_round_trip();
    if (shared == MAP_FAILED) {
        printf("bench: linux_sched_yield_switch failed: mmap\n");
        return;
    }
    sched_yield_switch();
    futex_round_trip();
}
