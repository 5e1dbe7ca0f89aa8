/* Programs the shell runs: each a job, numbered, with its own console connection (so the
 * console knows which job has the keyboard), in the foreground (the shell waits; Ctrl-C
 * interrupts it, then kills it after a grace period; Ctrl-Z stops it) or in the background.
 * A job is a child space of the shell's: its exit status is read with TASK_WAIT, and ending
 * it destroys the space. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos.h>

#define JOBS_MAX      16 /* jobs at once */
#define JOB_NAME_MAX  32
#define JOBS_GRACE_NS (500ull * 1000000ull) /* after Ctrl-C, before the kill */

struct job {
    unsigned id; /* 0: a free slot */
    struct wg_process process;
    wg_handle console;   /* the job's console connection (a handle of ours), 0: the shell's */
    uint32_t console_id; /* its number for the console's FOREGROUND */
    bool stopped;
    char name[JOB_NAME_MAX];
};

/* run PROGRAM ARGS... [&] */
void jobs_run(int argc, char **argv);

/* Runs argv[0] as a program ("hello a b", "sleep 5 &"); false (nothing printed) if there is
 * no such program. */
bool jobs_run_by_name(int argc, char **argv);

/* Reports (and forgets) the background jobs that ended since the last look. */
void jobs_report_finished(void);

/* The job numbered `id`, or the one at `index` of the table (NULL: none or free). */
struct job *jobs_find(unsigned id);
struct job *jobs_at(size_t index);

/* Gives the job the keyboard and waits for it (resuming it if stopped). */
void jobs_wait_foreground(struct job *job);

/* Suspends or resumes every task of the job (its main task and the threads of its space). */
void jobs_set_stopped(struct job *job, bool stopped);

/* Destroys the job's space and forgets it. */
void jobs_end(struct job *job);
