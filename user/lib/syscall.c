/* The user stubs beside the generated ones (build/gen/syscalls/syscalls_user.c, from
 * idl/syscalls.idl): moving and copying a handle with every right it has. */
#include "syscall.h"

struct wg_result wg_asset_move(wg_handle space, wg_handle handle, wg_handle to_space)
{
    return wg_asset_move_rights(space, handle, to_space, WG_RIGHTS_ALL);
}

struct wg_result wg_asset_copy(wg_handle space, wg_handle handle, wg_handle to_space)
{
    return wg_asset_copy_rights(space, handle, to_space, WG_RIGHTS_ALL);
}
