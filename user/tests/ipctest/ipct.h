/* ipctest's small framework and shared helpers. A test is a function that records failures
 * through the CHECK macros (from its own task only: threads report through their exit
 * status); the runner prints "utest: PASS name" or "utest: FAIL name: first failure" and
 * checks after each test that free pages, assets and tasks came back to where they were.
 * Helper processes are ipctest itself run as "ipctest helper ROLE ARGS..." (roles.c). */
#pragma once

#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

/* Addresses no user copy may use: the kernel half, a never-mapped user page. */
#define KERNEL_POINTER 0xffff800000001000ull
#define UNMAPPED       0x1000ull
/* Where tests and helpers map memory (nothing else lives there). */
#define TEST_MAP_ADDRESS 0x0000500000000000ull

struct ipc_test {
    const char *name;
    void (*run)(void);
};

/* The test lists, one per file. */
extern const struct ipc_test transfer_tests[], wait_tests[], flood_tests[], lifetime_tests[],
    name_tests[], error_tests[], limit_tests[];

/* ---- failures ---- */
void test_begin(void);
/* The first failure's text and how many there were. */
const char *test_result(int *count);
void test_fail_at(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
bool test_expect_err(const char *file, int line, const char *what, enum wg_error got,
                     enum wg_error want);
uint64_t test_value(const char *file, int line, const char *what, struct wg_result result);

#define FAIL(...)             test_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...)      ((cond) ? true : (FAIL(__VA_ARGS__), false))
#define CHECK_ERR(want, call) test_expect_err(__FILE__, __LINE__, #call, (call).err, (want))
#define CHECK_OK(call)        CHECK_ERR(WG_ERR_OK, call)
/* The same for functions that return a bare enum wg_error. */
#define CHECK_IS(want, call) test_expect_err(__FILE__, __LINE__, #call, (call), (want))
#define VALUE(call)          test_value(__FILE__, __LINE__, #call, (call))

/* ---- system counts ---- */
struct snapshot {
    uint64_t free_pages, assets, tasks;
};

struct snapshot snapshot_take(void);
/* Polls every 10 ms for up to 2 s until the counts equal `start`; a failure naming `what`
 * if they never do. */
bool snapshot_settle(const struct snapshot *start, const char *what);

uint64_t now_ns(void);
uint64_t cpu_count(void);
/* An affinity mask with only `cpu`. */
static inline uint64_t cpu_bit(unsigned cpu)
{
    return 1ull << cpu;
}

/* ---- threads: tasks in our own space on stacks from a fixed pool ---- */
#define THREADS_MAX 72

struct thread {
    wg_handle task;
    int slot; /* -1: none */
};

typedef int64_t (*thread_fn)(uint64_t arg);

/* Creates a task running fn(arg), pinned to `cpu_mask` unless it is 0, and starts it. False
 * (and a failure) if any step fails, with nothing left behind. */
bool thread_start(struct thread *thread, thread_fn fn, uint64_t arg, uint64_t cpu_mask);
/* Waits up to timeout_ns for the thread's end (killing it after that, with a failure),
 * releases it and returns its exit status (INT64_MIN if it could not be had). */
int64_t thread_join(struct thread *thread, uint64_t timeout_ns);

/* ---- helper processes in child spaces ---- */
struct helper {
    wg_handle space; /* ours */
    wg_handle task;  /* ours, 0 until started */
};

bool helper_create(struct helper *helper);
/* Copies our `handle` into the helper's space; its handle there (0 and a failure if not). */
wg_handle helper_give(struct helper *helper, wg_handle handle);
/* Loads `program` with argv[0..argc-1], pins it to `cpu_mask` (unless 0) and starts it. */
bool helper_exec(struct helper *helper, const char *program, int argc, const char *const *argv,
                 uint64_t cpu_mask);
/* helper_exec of "ipctest helper ROLE" with `args` in hex after the role. */
bool helper_role(struct helper *helper, const char *role, const uint64_t *args, int count,
                 uint64_t cpu_mask);
/* The exit status within timeout_ns; INT64_MIN (and a failure) if it does not end. */
int64_t helper_wait(struct helper *helper, uint64_t timeout_ns);
/* Releases the task handle and destroys the space (ending the helper if it still runs). */
void helper_end(struct helper *helper);

/* ---- IPC ---- */
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

/* Parses a hex number (as helper_role writes them); 0 for anything else. */
uint64_t parse_hex(const char *text);

/* Runs a helper role: argv[0] "ipctest", argv[1] "helper", argv[2] the role. */
int role_main(int argc, char **argv);
/* The "flood" role (t_flood.c). */
int flood_role(int argc, char **argv);
/* The "selfspin" role (t_flood.c). */
int self_role(int argc, char **argv);
