/* The file benchmarks' operations (fsbench_jobs.h). */
#include "lib/fsbench_jobs.h"

#define BIG   (1024u * 1024u)
#define SMALL 4096u

const struct fsbench_job fsbench_jobs[] = {
    {"write_1m", "fsbench/big", FSBENCH_WRITE, BIG, 2, 16},
    {"write_4k", "fsbench/small", FSBENCH_WRITE, SMALL, 16, 256},
    {"create", "fsbench/empty", FSBENCH_CREATE, 0, 16, FSBENCH_MAX_FILES},
    {"read_1m", "fsbench/big", FSBENCH_READ, BIG, 2, 16},
    {"read_4k", "fsbench/small", FSBENCH_READ, SMALL, 16, 256},
};
const size_t fsbench_job_count = sizeof fsbench_jobs / sizeof fsbench_jobs[0];

const char *const fsbench_dirs[] = {"fsbench", "fsbench/big", "fsbench/small", "fsbench/empty"};
const size_t fsbench_dir_count = sizeof fsbench_dirs / sizeof fsbench_dirs[0];

uint8_t fsbench_fill(unsigned i)
{
    return (uint8_t)(i * 7u + 1u);
}
