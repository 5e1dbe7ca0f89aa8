/* ELF loading: every segment becomes a physical memory asset copied from the file and mapped
 * with the segment's rights in the target space (so destroying the space frees it), then a
 * stack holding the arguments, then the main task. */
#include "kernel/exec/exec.h"
#include "kernel/exec/elf.h"
#include "kernel/exec/ustar.h"
#include "kernel/log.h"
#include "kernel/mm/memory.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "lib/string.h"

static const void *archive_data;
static size_t archive_size;

void exec_set_archive(const void *archive, size_t size)
{
    archive_data = archive;
    archive_size = size;
}

bool exec_have_archive(void)
{
    return archive_data != NULL;
}

/* Maps a fresh zeroed pmem of `pages` at `base` in `space`; the space's handle owns the
 * mapping. The caller gets a reference of its own to the pmem (asset_put when done filling
 * it): the space may be destroyed meanwhile, freeing the mapping. */
static struct pmem_result map_new(struct space *space, uint64_t base, uint64_t pages,
                                  unsigned flags)
{
    struct pmem_result pmem = pmem_create(pages, false, -1);
    if (pmem.err != WG_ERR_OK)
        return pmem;
    struct vmem_result vmem = vmem_create(space, pmem.pmem, base, flags);
    enum wg_error err = vmem.err;
    if (err == WG_ERR_OK) {
        err = space_insert(space, &vmem.vmem->asset, WG_RIGHTS_ALL).err;
        asset_put(&vmem.vmem->asset);
    }
    if (err == WG_ERR_OK)
        return pmem;
    asset_put(&pmem.pmem->asset);
    return (struct pmem_result){.err = err};
}

/* Copies file bytes [offset, offset + size) to virtual `vaddr` of a pmem mapped at `base`. */
static void copy_into(struct pmem *pmem, uint64_t base, uint64_t vaddr, const uint8_t *src,
                      uint64_t size)
{
    for (uint64_t done = 0; done < size;) {
        uint64_t at = vaddr + done - base;
        uint64_t chunk = PAGE_SIZE - at % PAGE_SIZE;
        if (chunk > size - done)
            chunk = size - done;
        memcpy((uint8_t *)phys_to_virt(pmem->frames[at / PAGE_SIZE]) + at % PAGE_SIZE, src + done,
               chunk);
        done += chunk;
    }
}

static enum wg_error load_segment(struct space *space, const uint8_t *file,
                                  const struct elf_segment *seg)
{
    uint64_t base = seg->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (seg->vaddr + seg->memory_size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    unsigned flags = WG_MAP_READ;
    if (seg->flags & ELF_SEGMENT_WRITE)
        flags |= WG_MAP_WRITE;
    if (seg->flags & ELF_SEGMENT_EXEC)
        flags |= WG_MAP_EXEC;
    struct pmem_result pmem = map_new(space, base, (end - base) / PAGE_SIZE, flags);
    if (pmem.err == WG_ERR_OK) {
        copy_into(pmem.pmem, base, seg->vaddr, file + seg->file_offset, seg->file_size);
        asset_put(&pmem.pmem->asset);
    }
    return pmem.err;
}

/* Lays out argv on the new stack: strings at the top, then the pointer array; returns the
 * initial stack pointer (16-byte aligned) and the argv address. */
static uint64_t build_stack(struct pmem *stack, const char *strings, size_t size, uint64_t argc,
                            uint64_t *argv_out)
{
    uint64_t base = EXEC_STACK_TOP - EXEC_STACK_PAGES * PAGE_SIZE;
    uint64_t strings_at = (EXEC_STACK_TOP - size) & ~15ULL;
    copy_into(stack, base, strings_at, (const uint8_t *)strings, size);
    uint64_t pointers[WG_EXEC_MAX_ARGS + 1] = {0};
    for (uint64_t i = 0, offset = 0; i < argc; i++) {
        pointers[i] = strings_at + offset;
        offset += strnlen(strings + offset, size - offset) + 1;
    }
    uint64_t argv = (strings_at - (argc + 1) * 8) & ~15ULL;
    copy_into(stack, base, argv, (const uint8_t *)pointers, (argc + 1) * 8);
    *argv_out = argv;
    return argv - 16; /* a little room, still 16-byte aligned */
}

struct task_result exec_load(struct space *space, const char *name, const char *strings,
                             size_t size, uint64_t argc)
{
    struct ustar_file file;
    enum wg_error err =
        archive_data ? ustar_find(archive_data, archive_size, name, &file) : WG_ERR_NOT_FOUND;
    if (err != WG_ERR_OK)
        return (struct task_result){.err = err};
    return exec_load_image(space, name, file.data, file.size, strings, size, argc);
}

struct task_result exec_load_image(struct space *space, const char *name, const void *data,
                                   size_t data_size, const char *strings, size_t size,
                                   uint64_t argc)
{
    struct elf_image image;
    enum wg_error err = elf_parse(data, data_size, &image);
    for (size_t i = 0; err == WG_ERR_OK && i < image.segment_count; i++)
        err = load_segment(space, data, &image.segments[i]);
    struct pmem_result stack = {.err = err};
    if (err == WG_ERR_OK)
        stack = map_new(space, EXEC_STACK_TOP - EXEC_STACK_PAGES * PAGE_SIZE, EXEC_STACK_PAGES,
                        WG_MAP_READ | WG_MAP_WRITE);
    if (stack.err != WG_ERR_OK)
        return (struct task_result){.err = stack.err};
    uint64_t argv;
    uint64_t sp = build_stack(stack.pmem, strings, size, argc, &argv);
    asset_put(&stack.pmem->asset);
    struct task_result task = task_create_user(space, image.entry, sp, argc, argv);
    if (task.err == WG_ERR_OK) {
        strlcpy(task.task->name, name, TASK_NAME_MAX);
        /* Never above its creator: EXEC must not be a way around SET_PRIORITY's rule. */
        if (task_current()->priority < task.task->priority)
            task.task->priority = task_current()->priority;
    }
    return task;
}

struct archive_walk {
    size_t wanted, seen;
    struct ustar_file *out;
    bool found;
};

static bool pick_file(void *ctx, const struct ustar_file *file)
{
    struct archive_walk *walk = ctx;
    if (walk->seen++ != walk->wanted)
        return true;
    *walk->out = *file;
    /* point into the copy's own buffer, not the walk's (which goes away) */
    walk->out->name = walk->out->name_buffer + (file->name - file->name_buffer);
    walk->found = true;
    return false;
}

enum wg_error exec_archive_file(size_t index, struct ustar_file *out)
{
    struct archive_walk walk = {index, 0, out, false};
    if (!archive_data)
        return WG_ERR_NOT_FOUND;
    enum wg_error err = ustar_for_each(archive_data, archive_size, pick_file, &walk);
    if (err != WG_ERR_OK)
        return err;
    return walk.found ? WG_ERR_OK : WG_ERR_NOT_FOUND;
}

enum wg_error exec_archive_name(size_t index, char *out, size_t size)
{
    struct ustar_file file;
    enum wg_error err = exec_archive_file(index, &file);
    if (err == WG_ERR_OK)
        strlcpy(out, file.name, size);
    return err;
}
