/* Host tests for the service manager's configuration parser and dependency checks
 * (user/services/svcman/config.c, config_keys.c, deps.c): every key, every mistake with its
 * "file:line: message", a broken entry not stopping the others, missing needs and cycles. */
#include "test.h"

#include <string.h>

#include "user/services/svcman/config.h"
#include "user/services/svcman/deps.h"

static char reports[16][SVC_MESSAGE_MAX];
static int report_count;
static struct svc_config config;

static void collect(void *context, const char *message)
{
    (void)context;
    if (report_count < 16)
        strncpy(reports[report_count], message, SVC_MESSAGE_MAX - 1);
    report_count++;
}

static void parse(const char *text)
{
    memset(reports, 0, sizeof reports);
    report_count = 0;
    svc_config_parse("t.conf", text, strlen(text), &config, collect, NULL);
}

/* True if some report is exactly `message`. */
static bool reported(const char *message)
{
    for (int i = 0; i < report_count && i < 16; i++)
        if (strcmp(reports[i], message) == 0)
            return true;
    return false;
}

TEST(svc_config_full_entry)
{
    parse("# a comment\n"
          "service console   # trailing comment\n"
          "    program console -v x\n"
          "    provides console log\n"
          "    needs names\n"
          "    grant irq 4\n"
          "    grant ports 0x3f8-0x3ff\n"
          "    space klog power\n"
          "    priority 20\n"
          "    cpu 0 3\n"
          "    restart always\n"
          "    limit 3 in 10s\n"
          "    backoff 50ms 2s\n"
          "    heartbeat 500ms\n"
          "service names\n  program nameserver\n  provides names\n");
    REQUIRE(report_count == 0);
    REQUIRE(config.count == 2);
    const struct svc_entry *e = svc_config_find(&config, "console");
    REQUIRE(e != NULL);
    CHECK(strcmp(e->program, "console") == 0);
    CHECK(e->argc == 2 && strcmp(e->args[0], "-v") == 0 && strcmp(e->args[1], "x") == 0);
    CHECK(e->provides_count == 2 && strcmp(e->provides[1], "log") == 0);
    CHECK(e->needs_count == 1 && strcmp(e->needs[0], "names") == 0);
    CHECK(e->grants_count == 2);
    CHECK(e->grants[0].kind == SVC_GRANT_IRQ && e->grants[0].a == 4);
    CHECK(e->grants[1].kind == SVC_GRANT_PORTS && e->grants[1].a == 0x3f8 && e->grants[1].b == 8);
    CHECK(e->space_flags == (SVC_SPACE_KLOG | SVC_SPACE_POWER));
    CHECK(e->priority == 20 && e->cpu_mask == 9 && e->node == -1);
    CHECK(e->restart == SVC_RESTART_ALWAYS);
    CHECK(e->limit_count == 3 && e->limit_window_ms == 10000);
    CHECK(e->backoff_min_ms == 50 && e->backoff_max_ms == 2000);
    CHECK(e->heartbeat_ms == 500 && e->line == 2);
}

TEST(svc_config_on_demand)
{
    parse("service fs\n  program ext2fs $arg $name\n  on-demand\n  restart on-failure\n");
    REQUIRE(report_count == 0 && config.count == 1);
    const struct svc_entry *e = &config.entries[0];
    CHECK(e->on_demand && e->argc == 2 && strcmp(e->args[0], "$arg") == 0);
    CHECK(e->provides_count == 0 && e->needs_count == 0);
}

TEST(svc_config_defaults_and_pci)
{
    parse("service disk\nprogram virtio_blk\ngrant pci 1af4:1042\nprovides blk#\nneeds pci\n"
          "service nvme\nprogram nvme\ngrant pci class 01:08:02\nprovides blk#\nnode 1\n"
          "service pci\nprogram pci\ngrant ecam\nprovides pci\n");
    REQUIRE(report_count == 0 && config.count == 3);
    const struct svc_entry *d = &config.entries[0], *n = &config.entries[1];
    CHECK(d->grants[0].kind == SVC_GRANT_PCI_ID && d->grants[0].a == 0x1af4 &&
          d->grants[0].b == 0x1042);
    CHECK(n->grants[0].kind == SVC_GRANT_PCI_CLASS && n->grants[0].a == 1 && n->grants[0].b == 8 &&
          n->grants[0].c == 2 && n->node == 1);
    CHECK(config.entries[2].grants[0].kind == SVC_GRANT_ECAM);
    CHECK(!d->on_demand);
    CHECK(d->restart == SVC_RESTART_ON_FAILURE && d->priority == -1 && d->limit_count == 5 &&
          d->limit_window_ms == 30000 && d->backoff_min_ms == 100 && d->backoff_max_ms == 5000 &&
          d->heartbeat_ms == 0 && d->space_flags == 0 && d->argc == 0);
}

/* Each mistake alone: one report with its line, the entry left out, the next one kept. */
static void expect_error(const char *entry_lines, const char *message)
{
    char text[1024];
    snprintf(text, sizeof text, "service bad\n%s\nservice good\nprogram hello\n", entry_lines);
    parse(text);
    if (!reported(message) || report_count != 1 || config.count != 1 ||
        strcmp(config.entries[0].name, "good") != 0) {
        printf("    for %s: got %d reports, first '%s', %d entries\n", entry_lines, report_count,
               reports[0], config.count);
        CHECK(false);
    }
}

TEST(svc_config_errors_each_reported_entry_dropped)
{
    expect_error("program a\nbogus 1", "t.conf:3: unknown key 'bogus'");
    expect_error("provides x", "t.conf:1: service bad: no program");
    expect_error("program", "t.conf:2: program needs a name");
    expect_error("program a\nprogram b", "t.conf:3: service bad: program given twice");
    expect_error("program a/b", "t.conf:2: bad program name 'a/b'");
    expect_error("program a 1 2 3 4 5 6 7 8 9", "t.conf:2: more than 8 arguments");
    expect_error("program a\nprovides", "t.conf:3: provides needs a name");
    expect_error("program a\nprovides a b c d e", "t.conf:3: more than 4 names in provides");
    expect_error("program a\nneeds x!", "t.conf:3: bad name 'x!'");
    expect_error("program a\ngrant irq 16",
                 "t.conf:3: grant: expected irq N, ports FIRST-LAST, pci VVVV:DDDD, pci class "
                 "CC:SS:PP or ecam");
    expect_error("program a\ngrant ports 0x3ff-0x3f8",
                 "t.conf:3: grant: expected irq N, ports FIRST-LAST, pci VVVV:DDDD, pci class "
                 "CC:SS:PP or ecam");
    expect_error("program a\ngrant pci 1af4",
                 "t.conf:3: grant: expected irq N, ports FIRST-LAST, pci VVVV:DDDD, pci class "
                 "CC:SS:PP or ecam");
    expect_error("program a\ngrant ecam\ngrant ecam\ngrant ecam\ngrant ecam\ngrant ecam\n"
                 "grant ecam\ngrant ecam",
                 "t.conf:9: more than 6 grants");
    expect_error("program a\nspace root", "t.conf:3: unknown space grant 'root'");
    expect_error("program a\npriority 32", "t.conf:3: priority takes a number 1..31");
    expect_error("program a\npriority 0", "t.conf:3: priority takes a number 1..31");
    expect_error("program a\ncpu 64", "t.conf:3: cpu takes CPU numbers 0..63");
    expect_error("program a\nnode x", "t.conf:3: node takes a NUMA node 0..63");
    expect_error("program a\ncpu 1\nnode 0", "t.conf:1: service bad: both cpu and node");
    expect_error("program a\nrestart sometimes",
                 "t.conf:3: restart takes always, on-failure or never");
    expect_error("program a\nlimit 5 per 10s",
                 "t.conf:3: limit takes N in DURATION (e.g. 5 in 30s)");
    expect_error("program a\nlimit 5 in 0s", "t.conf:3: limit takes N in DURATION (e.g. 5 in 30s)");
    expect_error("program a\nbackoff 5s 1s", "t.conf:3: backoff: MIN above MAX");
    expect_error("program a\nbackoff 5 1s", "t.conf:3: backoff takes MIN MAX (e.g. 100ms 5s)");
    expect_error("program a\nbackoff 99999999999ms 1s",
                 "t.conf:3: backoff takes MIN MAX (e.g. 100ms 5s)");
    expect_error("program a\non-demand now", "t.conf:3: on-demand takes no value");
    expect_error("program a\non-demand\nprovides x",
                 "t.conf:1: service bad: an on-demand service has no provides, needs or grant");
    expect_error("program a\nheartbeat 5ms",
                 "t.conf:3: heartbeat takes a DURATION of at least 10ms");
    expect_error("program a\nprovides x#",
                 "t.conf:1: service bad: only a PCI service has '#' names");
    expect_error("program a\ngrant pci 1:2\nprovides x",
                 "t.conf:1: service bad: a PCI service's names end in '#'");
    expect_error("program a\na b c d e f g h i j k l m n o p q", "t.conf:3: more than 16 words");
}

TEST(svc_config_service_line_errors)
{
    parse("program x\nservice\nprogram a\nservice a b\nservice ok\nprogram p\nservice ok\n"
          "program q\nservice bad*name\nprogram r\n");
    CHECK(reported("t.conf:1: 'program' outside a service"));
    CHECK(reported("t.conf:2: service takes one name"));
    CHECK(reported("t.conf:4: service takes one name"));
    CHECK(reported("t.conf:7: service ok defined twice"));
    CHECK(reported("t.conf:9: bad service name 'bad*name'"));
    CHECK(report_count == 5);
    REQUIRE(config.count == 1);
    CHECK(strcmp(config.entries[0].program, "p") == 0);
}

TEST(svc_config_long_lines_nul_and_too_many)
{
    char text[8192];
    memset(text, 'a', 300);
    memcpy(text, "service x\nprogram p\n#", 21);
    strcpy(text + 300, "\nservice y\nprogram q\n");
    parse(text);
    CHECK(reported("t.conf:3: line longer than 255 bytes"));
    CHECK(config.count == 1 && strcmp(config.entries[0].name, "y") == 0);
    static const char nul[] = "service z\nprogram p\0x\n";
    memset(reports, 0, sizeof reports);
    report_count = 0;
    svc_config_parse("t.conf", nul, sizeof nul - 1, &config, collect, NULL);
    CHECK(reported("t.conf:2: a NUL byte in line (255 max)") && config.count == 0);
    size_t used = 0;
    for (int i = 0; i < SVC_MAX + 1; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "service s%d\nprogram p\n", i);
    parse(text);
    CHECK(config.count == SVC_MAX && reported("t.conf:65: service s32: more than 32 services"));
}

TEST(svc_deps_missing_cycle_and_blocked)
{
    parse("service a\nprogram a\nprovides A\nneeds B\n"
          "service b\nprogram b\nprovides B\nneeds A\n"
          "service c\nprogram c\nneeds nothere\n"
          "service d\nprogram d\nneeds A\n"
          "service e\nprogram e\nprovides E\n"
          "service f\nprogram f\nneeds E blk3\n"
          "service g\nprogram g\ngrant pci 1:2\nprovides blk#\n");
    REQUIRE(config.count == 7 && report_count == 0);
    bool blocked[SVC_MAX];
    int count = svc_deps_check(&config, "t.conf", blocked, collect, NULL);
    CHECK(count == 4);
    CHECK(blocked[0] && blocked[1] && blocked[2] && blocked[3]);
    CHECK(!blocked[4] && !blocked[5] && !blocked[6]);
    CHECK(reported("t.conf:9: service c: needs nothere, which no service provides"));
    CHECK(reported("t.conf:1: service a: is on a dependency cycle"));
    CHECK(reported("t.conf:5: service b: is on a dependency cycle"));
    CHECK(reported("t.conf:12: service d: needs a service that cannot start"));
    CHECK(svc_deps_provider(&config, "blk12") == 6 && svc_deps_provider(&config, "blk") == -1 &&
          svc_deps_provider(&config, "blkx") == -1 && svc_deps_provider(&config, "blk#") == 6);
}

TEST(svc_deps_self_cycle)
{
    parse("service a\nprogram a\nprovides A\nneeds A\n");
    bool blocked[SVC_MAX];
    CHECK(svc_deps_check(&config, "t.conf", blocked, collect, NULL) == 1 && blocked[0]);
    CHECK(reported("t.conf:1: service a: is on a dependency cycle"));
}
