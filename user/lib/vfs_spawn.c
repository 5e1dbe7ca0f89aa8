/* Programs from files (vfs.h): vfs_spawn reads the file into a new memory asset and starts
 * it with EXEC_IMAGE in a new child space. */
#include <wingos.h>
#include "vfs.h"

/* Reads the whole file into a new memory asset (its handle in *memory), `size` bytes. */
static enum wg_error read_image(uint32_t file, uint64_t size, wg_handle *memory)
{
    uint64_t pages = (size + 4095) / 4096;
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem))
        return pmem.err;
    struct wg_result map =
        wg_vmem_map(WG_SELF, pmem.value, VFS_IMAGE_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    struct wg_result got = {.err = map.err};
    if (wg_ok(map)) {
        got = vfs_read(file, (void *)VFS_IMAGE_ADDRESS, size);
        wg_asset_release(WG_SELF, map.value);
    }
    if (wg_ok(got) && got.value != size)
        got.err = WG_ERR_BAD_FORMAT; /* the file shrank meanwhile */
    if (!wg_ok(got)) {
        wg_asset_release(WG_SELF, pmem.value);
        return got.err;
    }
    *memory = pmem.value;
    return WG_ERR_OK;
}

/* EXEC_IMAGE of `image` into a new child space, started, with `stdio` as its console. */
static enum wg_error start_image(wg_handle image, uint64_t size, const char *name,
                                 struct wg_exec_args *args, wg_handle stdio, struct wg_process *out)
{
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (!wg_ok(space))
        return space.err;
    size_t length = strnlen(name, WG_EXEC_NAME_MAX);
    enum wg_error err = wg_give_stdio(space.value, stdio, args);
    struct wg_result task = {err, 0};
    if (err == WG_ERR_OK)
        task = wg_exec_image(space.value, image, size, name, length, args);
    err = task.err;
    if (err == WG_ERR_OK) {
        err = wg_task_start(WG_SELF, task.value).err;
        if (err != WG_ERR_OK)
            wg_asset_release(WG_SELF, task.value);
    }
    if (err != WG_ERR_OK) {
        wg_space_destroy(WG_SELF, space.value);
        return err;
    }
    *out = (struct wg_process){.space = space.value, .task = task.value};
    return WG_ERR_OK;
}

enum wg_error vfs_spawn(const char *path, int argc, const char *const *argv, struct wg_process *out)
{
    return vfs_spawn_stdio(path, argc, argv, wg_stdio, out);
}

enum wg_error vfs_spawn_stdio(const char *path, int argc, const char *const *argv, wg_handle stdio,
                              struct wg_process *out)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;
    const char *name = vfs_path_base(path);
    const char *name_only[1] = {name};
    enum wg_error err = argc > 0 ? wg_pack_args(argc, argv, strings, &args)
                                 : wg_pack_args(1, name_only, strings, &args);
    if (err != WG_ERR_OK)
        return err;
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (opened.err != WG_ERR_OK)
        return opened.err;
    uint64_t size = opened.stat.size;
    wg_handle image = 0;
    if (opened.stat.type != FS_NODE_TYPE_FILE)
        err = WG_ERR_IS_DIRECTORY;
    else if (size == 0 || size > WG_EXEC_IMAGE_MAX)
        err = WG_ERR_BAD_FORMAT;
    else
        err = read_image(opened.file, size, &image);
    vfs_close(opened.file);
    if (err == WG_ERR_OK) {
        err = start_image(image, size, name, &args, stdio, out);
        wg_asset_release(WG_SELF, image);
    }
    return err;
}
