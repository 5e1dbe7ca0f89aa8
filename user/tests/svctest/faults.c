/* The fault-injection test (svctest.h): a workload thread writes a tree of files through
 * the VFS, copies it (read back, written elsewhere) and prints a line per file, round after
 * round, while this task kills the block driver (blk0), the console, the VFS and the ext2
 * server (fs-blk0) by turns at random moments, until at least KILLS_MIN kills. Then every file must
 * be right, nothing but the killed services may have ended, and free memory must be back where it
 * was. The host checks the disk afterwards with e2fsck -fn and tests/system/svc_check.py. */
#include <test/thread.h>
#include <vfs.h>
#include "svctest.h"

#define KILLS_MIN  100
#define ROUNDS_MAX 40
#define PAGE_SLACK 64
#define FILE_MAX   (40u * 1024u)

static uint8_t data[FILE_MAX], back[FILE_MAX];
static volatile bool stop_work;
static volatile int rounds;
/* VFS calls the workload has completed: a kill waits for one more since the last kill. */
static volatile uint64_t progress;

/* Counts a completed call and passes its error on. */
static enum wg_error done_one(enum wg_error err)
{
    if (err == WG_ERR_OK)
        progress++;
    return err;
}

uint32_t svctest_size(int k)
{
    return 1024u + (uint32_t)k * 1531u;
}

uint8_t svctest_byte(int k, uint32_t i)
{
    return (uint8_t)(i * 31u + (uint32_t)k * 17u + (i >> 9));
}

static void path_of(char *out, size_t size, const char *top, int k)
{
    snprintf(out, size, "%s/d%d/f%d", top, k % 4, k);
}

static enum wg_error write_file(const char *path, const uint8_t *bytes, uint32_t size)
{
    uint32_t flags = FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE;
    struct vfs_open_result file = vfs_open(path, flags, 0644);
    if (done_one(file.err) != WG_ERR_OK)
        return file.err;
    struct wg_result put = vfs_write(file.file, bytes, size);
    enum wg_error err = put.err == WG_ERR_OK && put.value != size ? WG_ERR_IO_ERROR : put.err;
    if (done_one(err) == WG_ERR_OK)
        err = done_one(vfs_fsync(file.file));
    enum wg_error closed = done_one(vfs_close(file.file));
    return err != WG_ERR_OK ? err : closed;
}

static enum wg_error read_file(const char *path, uint8_t *out, uint32_t size)
{
    struct vfs_open_result file = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (done_one(file.err) != WG_ERR_OK)
        return file.err;
    struct wg_result got = vfs_read(file.file, out, FILE_MAX);
    done_one(got.err);
    done_one(vfs_close(file.file));
    if (got.err == WG_ERR_OK && (got.value != size || file.stat.size != size))
        return WG_ERR_BAD_FORMAT;
    return got.err;
}

/* One file: written under /tree, read back, written under /copy. */
static enum wg_error copy_one(int k)
{
    char from[48], to[48];
    uint32_t size = svctest_size(k);
    for (uint32_t i = 0; i < size; i++)
        data[i] = svctest_byte(k, i);
    path_of(from, sizeof from, "/tree", k);
    path_of(to, sizeof to, "/copy", k);
    enum wg_error err = write_file(from, data, size);
    if (err == WG_ERR_OK)
        err = read_file(from, back, size);
    if (err == WG_ERR_OK && memcmp(back, data, size) != 0)
        err = WG_ERR_BAD_FORMAT;
    if (err == WG_ERR_OK)
        err = write_file(to, back, size);
    printf("svctest: round %d file %d: %s\n", rounds, k, wg_error_name(err));
    return err;
}

static enum wg_error make_dirs(void)
{
    static const char *const dirs[] = {"/tree",    "/copy",    "/tree/d0", "/tree/d1", "/tree/d2",
                                       "/tree/d3", "/copy/d0", "/copy/d1", "/copy/d2", "/copy/d3"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        enum wg_error err = vfs_mkdir(dirs[i], 0755);
        if (err != WG_ERR_OK && err != WG_ERR_ALREADY_EXISTS)
            return err;
    }
    return WG_ERR_OK;
}

static volatile bool done;
static volatile int64_t work_status = 1;

/* Rounds of copy_one over every file until told to stop (at least one round). */
static int64_t workload(uint64_t arg)
{
    (void)arg;
    enum wg_error err = WG_ERR_OK;
    for (rounds = 0; err == WG_ERR_OK && rounds < ROUNDS_MAX && (rounds == 0 || !stop_work);
         rounds++)
        for (int k = 0; k < SVCTEST_FILES && err == WG_ERR_OK; k++)
            err = copy_one(k);
    if (err == WG_ERR_OK)
        err = vfs_sync();
    work_status = -(int64_t)err;
    done = true;
    return work_status;
}

/* Kills blk0, the console, the VFS and the ext2 server by turns at random moments until
 * KILLS_MIN kills and the workload's end (a target not running at its turn is skipped);
 * returns the kills done. A kill waits until the workload has completed a VFS call since the
 * last one: kills still land in the middle of calls, but never so fast that one call is
 * resent past the client's limit (VFS_RESEND_MAX) by kills alone, which depended on how fast
 * the host ran the restarts. */
static int inject(void)
{
    static const char *const targets[] = {"blk0", "console", "vfs", "fs-blk0"};
    uint64_t seed = wg_clock().value | 1, seen = progress;
    int kills = 0;
    for (unsigned turn = 0; !done; turn++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        wg_sleep((10 + seed % 60) * MS_NS);
        while (progress == seen && !done)
            wg_sleep(MS_NS);
        if (kills < KILLS_MIN && svctest_control(targets[turn % 4], SVC_ACTION_KILL) == WG_ERR_OK) {
            kills++;
            seen = progress;
        }
        stop_work = kills >= KILLS_MIN;
    }
    return kills;
}

static uint64_t free_pages(void)
{
    struct wg_system_info info;
    wg_system_info(&info);
    return info.free_pages;
}

/* Every file of both trees as the workload wrote it. */
static bool files_right(void)
{
    char path[48];
    for (int k = 0; k < SVCTEST_FILES; k++)
        for (int t = 0; t < 2; t++) {
            uint32_t size = svctest_size(k);
            path_of(path, sizeof path, t ? "/copy" : "/tree", k);
            if (read_file(path, back, size) != WG_ERR_OK)
                return false;
            for (uint32_t i = 0; i < size; i++)
                if (back[i] != svctest_byte(k, i))
                    return false;
        }
    return true;
}

/* Free pages back to at least `baseline` - PAGE_SLACK within 5 s (ended spaces go away
 * asynchronously). */
static bool memory_back(uint64_t baseline)
{
    for (int i = 0; i < 250 && free_pages() + PAGE_SLACK < baseline; i++)
        wg_sleep(20 * MS_NS);
    return free_pages() + PAGE_SLACK >= baseline;
}

int svctest_faults(void)
{
    char why[96];
    if (make_dirs() != WG_ERR_OK) /* also connects and attaches the VFS buffer */
        return 1;
    uint64_t baseline = free_pages();
    struct thread worker;
    if (!thread_start(&worker, workload, 0, 0))
        return 1;
    int kills = inject();
    thread_join(&worker, 600 * SECOND_NS);
    bool up = svctest_wait_state("virtio-blk0", SVC_STATE_RUNNING, 10 * SECOND_NS) &&
              svctest_wait_state("console", SVC_STATE_RUNNING, 10 * SECOND_NS) &&
              svctest_wait_state("vfs", SVC_STATE_RUNNING, 10 * SECOND_NS) &&
              svctest_wait_state("fs-blk0", SVC_STATE_RUNNING, 10 * SECOND_NS);
    snprintf(why, sizeof why, "%d kills", kills);
    svctest_report("svc_fault_at_least_100_kills", kills >= KILLS_MIN && up, why);
    snprintf(why, sizeof why, "the workload ended with %lld after %d rounds",
             (long long)work_status, rounds);
    svctest_report("svc_fault_workload_finished", work_status == 0, why);
    svctest_report("svc_fault_files_right", files_right(), "a file differs from what was written");
    static const char *const others[] = {"pci", "virtio-blk1", "order-a", "order-b", "order-c"};
    bool none_ended = true;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        struct svc_info info;
        bool ok = svctest_info(others[i], &info) && info.restarts == 0 && info.last_status == 0 &&
                  info.state == SVC_STATE_RUNNING;
        if (!ok)
            snprintf(why, sizeof why, "%s ended or is not running", others[i]);
        none_ended &= ok;
    }
    svctest_report("svc_fault_only_killed_ones_ended", none_ended, why);
    svctest_report("svc_fault_memory_back", memory_back(baseline), "free pages below the baseline");
    vfs_disconnect();
    return 0;
}
