/* init: the first user program. It starts the name server (the root IPC server, address 0)
 * and waits until it accepts connections. The kernel passes its command line words as
 * init's arguments; with "test" among them init runs the root-space tests "roottest" (serving
 * its requests for driver assets, user/lib/test/rootcall.h), the system tests "systest", the
 * IPC tests "ipctest" and the driver-rights tests "drvtest" (only those a "suites=a,b" word
 * lists, if there is one), giving them the same words, and ends with the sum of their failure
 * counts (with "test fuzz", the syscall fuzzer "sysfuzz" instead of those, with the same
 * words); with "bench" it runs the benchmarks "bench" and ends with their status ("bench
 * disks": the disk drivers and "blkbench" instead; "bench files": the VFS and "fsbench");
 * with "test services" it runs the service manager on the test configuration until the
 * service "svctest" ends, and ends with its status. Otherwise it runs the service manager
 * (user/services/svcman), which starts the console, the disks, the VFS and the shell from
 * services.conf, serving its requests for driver assets for as long as the system runs. */
#include <wingos.h>

#include <test/rootcall.h>

#include "disks_start.h"
#include "vfs_start.h"

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

static bool has_word(int argc, char **argv, const char *word)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], word) == 0)
            return true;
    }
    return false;
}

/* True unless a "suites=NAME,NAME..." word is given and does not list `suite`. */
static bool suite_wanted(int argc, char **argv, const char *suite)
{
    const char *list = NULL;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "suites=", 7) == 0)
            list = argv[i] + 7;
    if (!list)
        return true;
    size_t length = strlen(suite);
    for (const char *p = list; *p; p++)
        if ((p == list || p[-1] == ',') && strncmp(p, suite, length) == 0 &&
            (p[length] == ',' || p[length] == '\0'))
            return true;
    return false;
}

/* Runs `program` with init's own arguments after its name; returns its exit status. */
static int run_program(const char *program, int argc, char **argv)
{
    const char *args[WG_EXEC_MAX_ARGS] = {program};
    int count = 1;
    struct wg_process process;

    for (int i = 1; i < argc && count < WG_EXEC_MAX_ARGS; i++)
        args[count++] = argv[i];
    enum wg_error err = wg_spawn(program, count, args, &process);
    if (err != WG_ERR_OK) {
        printf("init: cannot start %s: %s\n", program, wg_error_name(err));
        return -(int)err;
    }
    struct wg_result status = wg_process_wait(&process, WG_WAIT_FOREVER);
    if (!wg_ok(status)) {
        printf("init: waiting for %s failed: %s\n", program, wg_error_name(status.err));
        return -(int)status.err;
    }
    printf("init: %s exited with %lld\n", program, (long long)(int64_t)status.value);
    wg_process_destroy(&process);
    return (int)(int64_t)status.value;
}

/* Waits up to 5 s for address 0 to accept a connection (the name server is up). */
static enum wg_error wait_for_root(void)
{
    uint64_t deadline = wg_clock().value + 5 * SECOND_NS;
    struct wg_result connection = wg_ipc_connect(WG_SELF, WG_IPC_ROOT_ADDRESS);
    while (connection.err == WG_ERR_NOT_FOUND && wg_clock().value < deadline) {
        wg_sleep(MS_NS);
        connection = wg_ipc_connect(WG_SELF, WG_IPC_ROOT_ADDRESS);
    }
    if (!wg_ok(connection))
        return connection.err;
    enum wg_error err = wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS).err;
    wg_asset_release(WG_SELF, connection.value);
    return err;
}

/* Starts the name server, which then runs for as long as the system does. */
static void start_nameserver(void)
{
    struct wg_process process;
    const char *args[] = {"nameserver"};
    enum wg_error err = wg_spawn("nameserver", 1, args, &process);
    if (err == WG_ERR_OK)
        err = wait_for_root();
    if (err != WG_ERR_OK)
        printf("init: the name server did not start: %s\n", wg_error_name(err));
}

/* Runs the service manager on configuration `config` (with "exit-on NAME" words when `until`
 * is given), serving its driver asset requests; returns its exit status. It may pass on the
 * space grants to the console (KLOG) and the shell (INTROSPECT, POWER). */
static int run_svcman(const char *config, const char *until)
{
    char *args[] = {"init", (char *)config, "exit-on", (char *)until};
    int64_t status = rootcall_host_with(
        "svcman", WG_SPACE_KLOG | WG_SPACE_INTROSPECT | WG_SPACE_POWER, until ? 4 : 2, args);
    printf("init: svcman exited with %lld\n", (long long)status);
    return (int)status;
}

/* A failure count from an exit status: a negative one (could not start, killed, faulted)
 * counts by its size, so two statuses never cancel out. */
static int failures(int status)
{
    return status < 0 ? -status : status;
}

int main(int argc, char **argv)
{
    printf("init: WingOS userspace is up\n");
    start_nameserver();
    if (has_word(argc, argv, "test") && has_word(argc, argv, "disks"))
        return disktest_run(argc, argv);
    if (has_word(argc, argv, "test") && has_word(argc, argv, "fuzz"))
        return failures(run_program("sysfuzz", argc, argv)); /* the syscall fuzzer alone */
    if (has_word(argc, argv, "test") && has_word(argc, argv, "services"))
        return failures(run_svcman("services-test.conf", "svctest"));
    if (has_word(argc, argv, "test") && has_word(argc, argv, "files")) {
        /* the file system test (fstest) over the disks the host made (tests/fs/files.py) */
        struct wg_process vfs;
        if (!vfs_start(disks_start(), &vfs))
            return 1;
        return failures(run_program("fstest", argc, argv));
    }
    if (has_word(argc, argv, "test")) {
        int failed = 0;
        if (suite_wanted(argc, argv, "roottest")) {
            int roottest = (int)rootcall_host("roottest", argc, argv);
            printf("init: roottest exited with %d\n", roottest);
            failed += failures(roottest);
        }
        const char *suites[] = {"systest", "ipctest", "drvtest"};
        for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
            if (suite_wanted(argc, argv, suites[i]))
                failed += failures(run_program(suites[i], argc, argv));
        return failed;
    }
    if (has_word(argc, argv, "bench") && has_word(argc, argv, "disks"))
        return disks_bench();
    if (has_word(argc, argv, "bench") && has_word(argc, argv, "files")) {
        /* the file figures (fsbench) on the ext2 image tools/bench.sh made */
        struct wg_process vfs;
        return vfs_start(disks_start(), &vfs) ? run_program("fsbench", argc, argv) : 1;
    }
    if (has_word(argc, argv, "bench"))
        return run_program("bench", argc, argv);

    run_svcman("services.conf", NULL); /* returns only if the manager could not run */
    printf("init: no service manager; idle\n");
    for (;;)
        wg_sleep(SECOND_NS);
}
