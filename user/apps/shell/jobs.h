/* Running programs from the shell: in the foreground (the shell waits) or in the background
 * as numbered jobs that can be listed and killed. */
#pragma once

#define JOBS_MAX 16 /* background jobs at once */

/* run PROGRAM ARGS... [&] */
void jobs_run(int argc, char **argv);

/* jobs: reports the background jobs that ended, then lists those still running. */
void jobs_list(int argc, char **argv);

/* kill J: destroys job J's space, ending every task of it. */
void jobs_kill(int argc, char **argv);

/* Reports (and forgets) the background jobs that ended since the last look. */
void jobs_report_finished(void);
