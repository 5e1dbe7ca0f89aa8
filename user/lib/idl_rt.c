/* The transport of generated IDL code on WingOS (see idl.h): IPC syscalls, asset info and
 * release, malloc, and the mapping of out-of-line bodies. Bodies are mapped in a window of
 * IDL_MAP_SLOTS slots of IDL_BODY_MAX bytes; a mapping takes the lowest slot the kernel finds
 * free, so tasks sharing a space need no lock (a slot another task holds is ALREADY_EXISTS)
 * and one task alone always uses slot 0, whose page tables idl_rt_warm_up makes. */
#include "idl.h"
#include "ipc.h"
#include "malloc.h"
#include "syscall.h"

#define IDL_MAP_BASE  0x0000580000000000ull
#define IDL_MAP_SLOTS 64u
#define PAGE_SIZE     4096u

enum wg_error idl_rt_call(wg_handle connection, const struct wg_message *request,
                          struct wg_message *reply, uint64_t timeout_ns)
{
    return wg_call(connection, request, reply, timeout_ns).err;
}

enum wg_error idl_rt_send(wg_handle connection, const struct wg_message *message, bool expect_reply,
                          uint64_t *id)
{
    struct wg_result sent =
        wg_ipc_send(WG_SELF, connection, message, expect_reply ? WG_IPC_EXPECT_REPLY : 0);
    if (id)
        *id = sent.value;
    return sent.err;
}

enum wg_error idl_rt_receive_reply(wg_handle connection, uint64_t id, struct wg_message *reply,
                                   uint64_t timeout_ns)
{
    return wg_ipc_receive_reply(WG_SELF, connection, id, reply, timeout_ns).err;
}

enum wg_error idl_rt_reply(wg_handle server, uint64_t token, const struct wg_message *reply)
{
    return wg_ipc_reply(WG_SELF, server, token, reply).err;
}

uint32_t idl_rt_asset_kind(wg_handle handle, uint64_t *size)
{
    struct wg_asset_info info;
    if (wg_asset_info(WG_SELF, handle, &info).err != WG_ERR_OK)
        return WG_ASSET_NONE;
    *size = info.size;
    return info.kind;
}

void idl_rt_release(wg_handle handle)
{
    wg_asset_release(WG_SELF, handle);
}

/* Maps `pmem` in a free slot of the window. */
static enum wg_error map_slot(wg_handle pmem, uint32_t flags, wg_handle *vmem, void **map)
{
    for (unsigned slot = 0; slot < IDL_MAP_SLOTS; slot++) {
        uint64_t address = IDL_MAP_BASE + (uint64_t)slot * IDL_BODY_MAX;
        struct wg_result mapped = wg_vmem_map(WG_SELF, pmem, address, flags);
        if (mapped.err == WG_ERR_OK) {
            *vmem = mapped.value;
            *map = (void *)(uintptr_t)address;
            return WG_ERR_OK;
        }
        if (mapped.err != WG_ERR_ALREADY_EXISTS)
            return mapped.err;
    }
    return WG_ERR_BUSY;
}

enum wg_error idl_rt_body_create(size_t size, wg_handle *pmem, wg_handle *vmem, void **map)
{
    uint64_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    struct wg_result made = wg_pmem_create(WG_SELF, pages ? pages : 1, 0, WG_PMEM_ANY_NODE);
    if (made.err != WG_ERR_OK)
        return made.err;
    enum wg_error err = map_slot(made.value, WG_MAP_READ | WG_MAP_WRITE, vmem, map);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, made.value);
        return err;
    }
    *pmem = made.value;
    return WG_ERR_OK;
}

enum wg_error idl_rt_body_map(wg_handle pmem, size_t size, wg_handle *vmem, const void **map)
{
    void *at = 0;
    (void)size; /* the decoder checked the asset holds `size` bytes */
    enum wg_error err = map_slot(pmem, WG_MAP_READ, vmem, &at);
    *map = at;
    return err;
}

void idl_rt_unmap(wg_handle vmem)
{
    wg_asset_release(WG_SELF, vmem);
}

void idl_rt_warm_up(void)
{
    wg_handle pmem, vmem;
    void *map;
    if (idl_rt_body_create(1, &pmem, &vmem, &map) != WG_ERR_OK)
        return;
    idl_rt_unmap(vmem);
    wg_asset_release(WG_SELF, pmem);
}

void *idl_rt_alloc(size_t size)
{
    return malloc(size);
}

void idl_rt_free(void *pointer)
{
    free(pointer);
}
