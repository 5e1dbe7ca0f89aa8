/* Tests only the root space can run: the driver assets init hands out. */
#pragma once

/* Prints utest: lines; returns the number of failures. */
int roottest_run(void);
