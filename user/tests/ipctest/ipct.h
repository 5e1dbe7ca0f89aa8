/* ipctest's shared header: the test library, the test lists (one per file), IPC helpers
 * (server/client pairs, messages) and helper-process roles: ipctest itself run as
 * "ipctest helper ROLE ARGS..." (roles.c). */
#pragma once

#include <test/test.h>

/* The test lists, one per file. */
extern const struct test transfer_tests[], wait_tests[], flood_tests[], lifetime_tests[],
    name_tests[], error_tests[], limit_tests[], fastpath_tests[];

uint64_t cpu_count(void);
/* An affinity mask with only `cpu`. */
static inline uint64_t cpu_bit(unsigned cpu)
{
    return 1ull << cpu;
}

/* helper_exec of "ipctest helper ROLE" with `args` in hex after the role. */
bool helper_role(struct helper *helper, const char *role, const uint64_t *args, int count,
                 uint64_t cpu_mask);

/* A server of ours with one client connection, accepted. */
struct pair {
    wg_handle server, client, accepted;
    uint64_t address;
};

bool pair_open(struct pair *pair);
/* Releases whichever handles are set. */
void pair_close(struct pair *pair);
/* A message whose entries hold base, base + 1, ... (values only). */
struct wg_message message_of(uint64_t base);
/* Releases every asset a received message carries. */
void message_drop_assets(const struct wg_message *message);

/* Runs a helper role: argv[0] "ipctest", argv[1] "helper", argv[2] the role. */
int role_main(int argc, char **argv);
/* The "flood" role (t_flood.c). */
int flood_role(int argc, char **argv);
/* The "selfspin" role (t_flood.c). */
int self_role(int argc, char **argv);
