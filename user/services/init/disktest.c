/* init's disk test mode (disks_start.h): what only the root space can check, because only it
 * holds the drivers' spaces. */
#include "disks_start.h"
#include "user/lib/block.h"

#define CLIENT_MAP  0x420000000000ull
#define MS_NS       1000000ull
#define WARM_ROUNDS 2
#define PAGE_SLACK  4

static int failed;

static void report(const char *name, bool ok, const char *why)
{
    printf("utest: %s %s%s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
    failed += !ok;
}

/* MSI vectors free now: taken one by one until none is left, then all given back. */
static unsigned free_vectors(void)
{
    static wg_handle taken[256];
    unsigned count = 0;
    for (struct wg_result r; count < 256 && wg_ok(r = wg_msi_create(WG_SELF)); count++)
        taken[count] = r.value;
    for (unsigned i = 0; i < count; i++)
        wg_asset_release(WG_SELF, taken[i]);
    return count;
}

struct baseline {
    uint64_t free_pages, assets;
    unsigned vectors;
};

static struct baseline measure(void)
{
    struct wg_system_info info;
    wg_system_info(&info);
    return (struct baseline){info.free_pages, info.assets, free_vectors()};
}

/* Measures until everything is back to `before` or 2 s have passed: tasks of a destroyed
 * space and the references they hold go away asynchronously. */
static struct baseline settle(const struct baseline *before)
{
    struct baseline now = measure();
    for (int i = 0; i < 100 && (now.free_pages < before->free_pages ||
                                now.assets != before->assets || now.vectors != before->vectors);
         i++) {
        wg_sleep(20 * MS_NS);
        now = measure();
    }
    return now;
}

/* Runs blktest with the drivers' names. */
static void run_blktest(struct disk_driver *drivers, int count, bool quiet)
{
    const char *args[DISKS_MAX + 2] = {"blktest", "-q"};
    int argc = quiet ? 2 : 1;
    for (int i = 0; i < count; i++)
        args[argc++] = drivers[i].name;
    struct wg_process process;
    enum wg_error err = wg_spawn("blktest", argc, args, &process);
    if (quiet) {
        if (err == WG_ERR_OK) {
            wg_process_wait(&process, WG_WAIT_FOREVER);
            wg_process_destroy(&process);
        }
        return;
    }
    struct wg_result status =
        err == WG_ERR_OK ? wg_process_wait(&process, WG_WAIT_FOREVER) : (struct wg_result){err, 0};
    report("blktest_ran", wg_ok(status), wg_error_name(status.err));
    failed += wg_ok(status) ? (int)(int64_t)status.value : 0;
    if (err == WG_ERR_OK)
        wg_process_destroy(&process);
}

/* A client with a batch of reads in flight when its driver's space is destroyed. */
static bool kill_under_client(struct disk_driver *driver, enum wg_error *why)
{
    struct block_client client;
    enum wg_error err = block_open(driver->name, &client);
    if (err == WG_ERR_OK)
        err = block_attach(&client, 64, CLIENT_MAP);
    struct block_request *records = (struct block_request *)client.buffer;
    for (unsigned n = 0; err == WG_ERR_OK && n < BLOCK_BATCH_MAX; n++)
        records[n] = (struct block_request){BLOCK_READ, 0, n * 8, 8, 0, 8192 + n * 2048};
    uint64_t ids[8];
    for (unsigned k = 0; err == WG_ERR_OK && k < 8; k++)
        ids[k] = block_submit(&client, 0, BLOCK_BATCH_MAX).value;
    if (err == WG_ERR_OK)
        disks_stop(driver);
    bool all_errors = err == WG_ERR_OK;
    for (unsigned k = 0; err == WG_ERR_OK && k < 8; k++) {
        uint32_t done;
        enum wg_error got = block_wait(&client, ids[k], &done);
        all_errors = all_errors && (got == WG_ERR_PEER_CLOSED || got == WG_ERR_OK);
        if (k == 7)
            all_errors = all_errors && got == WG_ERR_PEER_CLOSED;
    }
    block_close(&client);
    *why = err;
    return all_errors;
}

int disktest_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    failed = 0;
    int count_unused;
    if (!disks_start_pci())
        return 1;
    /* The page tables of the client mapping below stay once made: make them first. */
    struct wg_result warm = wg_pmem_create(WG_SELF, 64, 0, WG_PMEM_ANY_NODE);
    struct wg_result map = wg_vmem_map(WG_SELF, warm.value, CLIENT_MAP, WG_MAP_READ);
    wg_asset_release(WG_SELF, map.value);
    wg_asset_release(WG_SELF, warm.value);
    /* Quiet rounds first: the PCI service is up and the kernel heap has grown to what
     * drivers and their clients need (the first round takes 5 pages for good, the second 1,
     * later ones none), so the baseline is what the real round must come back to exactly. */
    enum wg_error why = WG_ERR_OK;
    for (int round = 0; round < WARM_ROUNDS; round++) {
        int warmed = disks_start_drivers();
        run_blktest(disks_started(&count_unused), warmed, true);
        if (warmed > 0)
            kill_under_client(&disks_started(&count_unused)[0], &why);
        disks_stop_all();
        wg_sleep(100 * MS_NS);
    }
    struct baseline before = measure();
    int count = disks_start_drivers();
    struct disk_driver *drivers = disks_started(&count);
    report("disks_found", count >= 2, "fewer than two disks started");
    run_blktest(drivers, count, false);
    bool killed = count > 0 && kill_under_client(&drivers[0], &why);
    report("blk_driver_killed_client_gets_error", killed, wg_error_name(why));
    disks_stop_all();
    struct baseline after = settle(&before);
    printf("init: disk test: free pages %llu -> %llu, assets %llu -> %llu, MSI vectors %u -> "
           "%u\n",
           (unsigned long long)before.free_pages, (unsigned long long)after.free_pages,
           (unsigned long long)before.assets, (unsigned long long)after.assets, before.vectors,
           after.vectors);
    /* Within PAGE_SLACK: the name server's and the kernel's high-water marks can still move
     * by a page with the timing of the lookups; one driver's DMA memory alone is 520. */
    report("blk_drivers_gone_pages_back", after.free_pages + PAGE_SLACK >= before.free_pages,
           "pages leaked");
    report("blk_drivers_gone_assets_back", after.assets == before.assets, "assets leaked");
    report("blk_drivers_gone_vectors_back", after.vectors == before.vectors, "vectors leaked");
    return failed;
}
