/* svctest's checks on the manager's state (svctest.h). */
#include <console.h>
#include <svc_client.h>
#include "svctest.h"

static int failed;

void svctest_report(const char *name, bool ok, const char *why)
{
    printf("utest: %s %s%s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
    failed += !ok;
}

bool svctest_info(const char *name, struct svc_info *out)
{
    return svc_client_info(name, out) == WG_ERR_OK;
}

enum wg_error svctest_control(const char *name, uint8_t action)
{
    return svc_client_control(name, action);
}

bool svctest_wait_state(const char *name, uint8_t state, uint64_t timeout_ns)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    struct svc_info info;
    while (!svctest_info(name, &info) || info.state != state) {
        if (wg_clock().value > deadline)
            return false;
        wg_sleep(20 * MS_NS);
    }
    return true;
}

/* Each started after the one it needs was up: a started before b before c. */
static void test_order(void)
{
    struct svc_info a, b, c;
    bool listed =
        svctest_info("order-a", &a) && svctest_info("order-b", &b) && svctest_info("order-c", &c);
    svctest_report("svc_dependency_order",
                   listed && a.state == SVC_STATE_RUNNING && c.state == SVC_STATE_RUNNING &&
                       a.uptime_ms > b.uptime_ms && b.uptime_ms > c.uptime_ms,
                   "order-a, -b, -c not running, or not started in dependency order");
}

/* Entries with mistakes are not listed; impossible ones are listed as blocked. */
static void test_config_errors(void)
{
    struct svc_info info;
    bool ok = !svctest_info("broken", &info) && !svctest_info("bad-grant", &info);
    static const char *const blocked[] = {"missing", "loop-a", "loop-b", "after-loop"};
    for (size_t i = 0; i < 4; i++)
        ok &= svctest_info(blocked[i], &info) && info.state == SVC_STATE_BLOCKED;
    svctest_report("svc_config_errors", ok,
                   "a broken entry listed, or an impossible one not blocked");
}

/* A service that faults at start: restarted with backoff (100, 200, 400 ms), then failed. */
static void test_crash_at_start(void)
{
    uint64_t began = wg_clock().value;
    bool failed_state = svctest_wait_state("crasher", SVC_STATE_FAILED, 20 * SECOND_NS);
    struct svc_info info;
    bool ok = failed_state && svctest_info("crasher", &info) && info.restarts == 3 &&
              info.last_status < 0;
    svctest_report("svc_crash_at_start_stopped", ok, "not failed after 3 restarts with a fault");
    (void)began;
}

/* A server that stops accepting misses its heartbeats and is killed (its policy: never
 * restarted). */
static void test_heartbeat(void)
{
    struct svc_info info;
    bool ok = svctest_wait_state("hang", SVC_STATE_STOPPED, 10 * SECOND_NS) &&
              svctest_info("hang", &info) && info.last_status == WG_EXIT_KILLED;
    svctest_report("svc_heartbeat_missed_killed", ok, "a hung server was not killed");
}

static void test_stop_start(void)
{
    uint64_t address;
    bool ok = svctest_control("order-a", SVC_ACTION_STOP) == WG_ERR_OK &&
              svctest_wait_state("order-a", SVC_STATE_STOPPED, SECOND_NS);
    for (int i = 0; ok && wg_name_lookup("order-a", &address) == WG_ERR_OK && i < 100; i++)
        wg_sleep(10 * MS_NS);
    ok &= wg_name_lookup("order-a", &address) == WG_ERR_NOT_FOUND;
    ok &= svctest_control("order-a", SVC_ACTION_START) == WG_ERR_OK &&
          svctest_wait_state("order-a", SVC_STATE_RUNNING, 5 * SECOND_NS) &&
          wg_name_lookup("order-a", &address) == WG_ERR_OK;
    ok &= svctest_control("order-a", SVC_ACTION_START) == WG_ERR_INVALID_ARGUMENT &&
          svctest_control("nobody", SVC_ACTION_STOP) == WG_ERR_NOT_FOUND &&
          svctest_control("order-a", 99) == WG_ERR_INVALID_ARGUMENT;
    svctest_report("svc_stop_start_name_taken_again", ok, "stop/start or their refusals");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    wg_handle console;
    if (console_open(&console) == WG_ERR_OK)
        wg_stdio = console; /* our output through the console, which the test kills */
    test_order();
    test_config_errors();
    test_crash_at_start();
    test_heartbeat();
    test_stop_start();
    svctest_recovery();         /* reports its own tests */
    failed += svctest_faults(); /* reports its own tests */
    printf("utest: done: svctest, %d failed\n", failed);
    return failed;
}
