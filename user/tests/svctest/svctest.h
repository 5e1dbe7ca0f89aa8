/* svctest: the service manager's system test (init's "test services" mode, run by svcman
 * from services-test.conf): dependency order, blocked entries, a service that crashes at
 * start, stop and start, and faults injected under a file and console workload. */
#pragma once

#include <svc_idl.h>
#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

/* Reports one test: "utest: PASS name" or "utest: FAIL name: why". */
void svctest_report(const char *name, bool ok, const char *why);

/* The service `name` as the manager lists it; false if it is not listed. */
bool svctest_info(const char *name, struct svc_info *out);
/* Asks the manager to act on `name`. */
enum wg_error svctest_control(const char *name, uint8_t action);
/* Waits up to `timeout_ns` for `name` to be in `state`. */
bool svctest_wait_state(const char *name, uint8_t state, uint64_t timeout_ns);

/* recovery.c: the file-system path's recovery, one case at a time (reports its tests). */
void svctest_recovery(void);

/* faults.c: the fault-injection test; returns its failures. */
int svctest_faults(void);

/* The workload's files: file k (0..SVCTEST_FILES-1) has svctest_size(k) bytes, byte i
 * being svctest_byte(k, i); tests/system/svc_check.py computes the same. */
#define SVCTEST_FILES 24
uint32_t svctest_size(int k);
uint8_t svctest_byte(int k, uint32_t i);
