/* libFuzzer target: the IDL compiler on any text. It must never crash, leak or read out of
 * bounds; every input either compiles or gives one "file:line:col: message" error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "idlc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct idlc_result result = idlc_compile("fuzz.idl", "fuzz", (const char *)data, size);
    if (result.ok != (result.header != NULL) ||
        (!result.ok && strncmp(result.error, "fuzz.idl:", 9)))
        abort();
    idlc_result_free(&result);
    return 0;
}
