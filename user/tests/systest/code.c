/* Tiny hand-made programs for tasks in child spaces (systest.h). */
#include "systest.h"

#define CODE_STAGING 0x0000510000000000ull /* where our copy of the code is written */

bool code_map(wg_handle space, enum code_kind kind)
{
    /* clang-format off */
    static const uint8_t exit_1234[] = {
        0xb8, WG_SYS_TASK_EXIT, 0, 0, 0,          /* mov $TASK_EXIT, %eax */
        0xbf, 0xd2, 0x04, 0, 0,                   /* mov $1234, %edi */
        0x0f, 0x05,                               /* syscall */
        0x0f, 0x0b,                               /* ud2 */
    };
    static const uint8_t sleep_forever[] = {
        0xb8, WG_SYS_SLEEP, 0, 0, 0,              /* mov $SLEEP, %eax */
        0x48, 0xc7, 0xc7, 0xff, 0xff, 0xff, 0xff, /* mov $-1, %rdi */
        0x0f, 0x05,                               /* syscall */
        0xeb, 0xf0,                               /* jmp back to the start */
    };
    /* clang-format on */
    struct mapping staging;
    if (!mapping_create(&staging, 1, CODE_STAGING, WG_MAP_READ | WG_MAP_WRITE))
        return false;
    if (kind == CODE_EXIT_1234)
        memcpy((void *)CODE_STAGING, exit_1234, sizeof exit_1234);
    else
        memcpy((void *)CODE_STAGING, sleep_forever, sizeof sleep_forever);
    wg_handle theirs = VALUE(wg_asset_copy(WG_SELF, staging.pmem, space));
    mapping_release(&staging);
    if (!theirs)
        return false;
    return CHECK_OK(wg_vmem_map(space, theirs, CODE_ADDRESS, WG_MAP_READ | WG_MAP_EXEC));
}
