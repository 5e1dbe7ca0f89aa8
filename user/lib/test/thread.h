/* Threads for tests: tasks in the test's own space (TASK_CREATE with WG_SELF) running a C
 * function on a stack from a fixed pool, so starting one never grows the heap (tests that
 * check free pages find them unchanged). A thread's return value is its exit status. */
#pragma once

#include <wingos.h>

/* How many threads may exist at once. */
#define THREADS_MAX 72

struct thread {
    wg_handle task;  /* in `space`; 0 when there is none */
    int slot;        /* its stack; -1: none */
    wg_handle space; /* where it runs (ours: WG_SELF, or a child sharing our memory) */
};

typedef int64_t (*thread_fn)(uint64_t arg);

/* Creates the task, not started; false (and a failure) if there is no stack or TASK_CREATE
 * refuses, with nothing left behind. */
bool thread_create(struct thread *thread, thread_fn fn, uint64_t arg);
/* The same in `space`, a child of ours made with WG_SPACE_SHARE_MEMORY (our code and stacks
 * are there); the task handle lives in that space. */
bool thread_create_in(struct thread *thread, wg_handle space, thread_fn fn, uint64_t arg);
/* Gives back the stack of a thread that ended with its space (SPACE_DESTROY waited for it):
 * its handle went with the space. */
void thread_forget(struct thread *thread);
/* Creates it, pins it to `cpu_mask` unless that is 0, and starts it; false (and a failure)
 * if any step fails, with nothing left behind. */
bool thread_start(struct thread *thread, thread_fn fn, uint64_t arg, uint64_t cpu_mask);
/* Waits up to timeout_ns for its end, then releases the handle and its stack. On a timeout
 * it kills the thread and waits again (the status is then WG_EXIT_KILLED) and records a
 * failure. Returns the exit status, or INT64_MIN if it could not be had. */
int64_t thread_join(struct thread *thread, uint64_t timeout_ns);
/* thread_start + thread_join (5 s): the exit status of fn(arg) run as a thread. */
int64_t thread_run(thread_fn fn, uint64_t arg);

/* Thread bodies that run until killed: one sleeping, one busy in user mode. */
int64_t thread_sleep_until_killed(uint64_t arg);
int64_t thread_spin_until_killed(uint64_t arg);
