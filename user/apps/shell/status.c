/* Exit statuses in words (see status.h). The kernel ends a faulting task with
 * WG_EXIT_FAULT(vector); a program that fails through wg_fail exits with -error. */
#include <wingos.h>
#include "status.h"

void status_describe(int64_t status, char *out, size_t size)
{
    if (WG_EXIT_IS_FAULT(status)) {
        const char *name = wg_exception_name(WG_EXIT_FAULT_VECTOR(status));
        snprintf(out, size, "killed: %s", name ? name : "CPU exception");
    } else if (status == WG_EXIT_KILLED) {
        snprintf(out, size, "killed");
    } else if (status == WG_EXIT_FAULTED) {
        snprintf(out, size, "killed: bad system call");
    } else if (status == WG_EXIT_PANIC) {
        snprintf(out, size, "panicked");
    } else if (status < 0 && status > -(int64_t)WG_ERROR_COUNT) {
        snprintf(out, size, "error %s", wg_error_name((int)-status));
    } else {
        snprintf(out, size, "exited %lld", (long long)status);
    }
}
