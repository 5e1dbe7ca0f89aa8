/* libFuzzer target: the IDL compiler on any text, in both modes. It must never crash, leak or read
 * out of bounds; every input either compiles or gives one "file:line:col: message" error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "idlc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Both modes: protocols, and the syscall ABI (idlc --syscalls). */
    for (int mode = IDLC_PROTOCOLS; mode <= IDLC_SYSCALLS; mode++) {
        struct idlc_result result =
            idlc_compile("fuzz.idl", "fuzz", (const char *)data, size, (enum idlc_mode)mode);
        if (result.ok != (result.output_count > 0) ||
            (!result.ok && strncmp(result.error, "fuzz.idl:", 9)))
            abort();
        idlc_result_free(&result);
    }
    return 0;
}
