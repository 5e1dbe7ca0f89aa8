/* Threads for the tests: tasks in our own space (TASK_CREATE with WG_SELF) running a C
 * function on a malloc'd stack. */
#pragma once

#include <wingos.h>

/* A thread: a task in our own space running fn(arg) on a malloc'd stack; fn's return value
 * is its exit status. */
struct thread {
    wg_handle task;
    void *stack;
};

/* Creates the task, not started; false (and a failure) if TASK_CREATE refuses. */
bool thread_create(struct thread *thread, int64_t (*fn)(uint64_t arg), uint64_t arg);
/* Creates and starts it. */
bool thread_spawn(struct thread *thread, int64_t (*fn)(uint64_t arg), uint64_t arg);
/* Waits up to timeout_ns for its end, then releases the handle and frees the stack. On a
 * timeout it kills the thread and waits again (the status is then WG_EXIT_KILLED) and
 * records a failure. Returns the exit status, or INT64_MIN if it could not be had. */
int64_t thread_join(struct thread *thread, uint64_t timeout_ns);

/* Thread bodies that run until killed: one sleeping, one busy in user mode. */
int64_t sleep_until_killed(uint64_t arg);
int64_t spin_until_killed(uint64_t arg);

/* thread_spawn + thread_join (5 s): the exit status of fn(arg) run as a thread. */
int64_t run_in_thread(int64_t (*fn)(uint64_t arg), uint64_t arg);
