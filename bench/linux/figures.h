/* The Linux reference figures (see init.c): each times one operation between rdtsc reads
 * over many iterations and prints its line. */
#pragma once

/* Runs every figure in turn; each prints "bench: linux_NAME ..." or "... failed: why". */
void figures_run(void);
