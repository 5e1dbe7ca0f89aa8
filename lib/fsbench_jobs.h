/* The file benchmarks' operations (docs/benchmarks.md#file-figures), shared by WingOS's
 * user/apps/fsbench and the Linux reference's bench/linux/files.c so both do exactly the same
 * work: which files, how large, how many, in which order. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FSBENCH_MAX_FILES 500
#define FSBENCH_MAX_SIZE  (1024u * 1024u)

enum fsbench_op { FSBENCH_WRITE, FSBENCH_READ, FSBENCH_CREATE };

struct fsbench_job {
    const char *name; /* the figure: fs_NAME, linux_fs_NAME */
    const char *dir;  /* relative to the mount point; file i is DIR/fI */
    enum fsbench_op op;
    uint32_t size; /* bytes written or read per file */
    unsigned warmup, count;
};

/* The jobs in order: writes and creations first, then the reads (after the cache is
 * emptied) of what the writes made. */
extern const struct fsbench_job fsbench_jobs[];
extern const size_t fsbench_job_count;
/* The directories to make first, parents first. */
extern const char *const fsbench_dirs[];
extern const size_t fsbench_dir_count;

/* File i's content: every byte the same, different from file to file. */
uint8_t fsbench_fill(unsigned i);
