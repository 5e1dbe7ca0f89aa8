/* probe: the program systest runs in child spaces. Its first argument says what to do; handle
 * and address arguments are in hex (handles in the probe's own space, copied there by
 * systest before the start). It reports through its exit status:
 *   exit N          exits with N
 *   argsum ...      argc * 10000 + the characters of all arguments (names included)
 *   priority        its own priority (the highest TASK_SET_PRIORITY accepts for itself)
 *   sleep           sleeps until killed
 *   space H         H names a space above or beside it: every use must be refused
 *   ownspace H      H names its own space: usable, but never destroyable
 *   task H          H names a task outside its subtree: every use must be refused
 *   deadtask H      H names an exited task outside its subtree: every use must be refused
 *   share H A       maps pmem H at A, answers systest through it (see share())
 *   tree D          maps memory, spawns two "tree D-1" children when D > 0, sleeps
 * The checking modes exit with the number of wrong answers, each also printed. */
#include <wingos.h>

#define SECOND_NS 1000000000ull
#define MS_NS     1000000ull

static int wrong;

static uint64_t parse_hex(const char *text)
{
    uint64_t value = 0;
    for (; *text; text++) {
        char c = *text;
        unsigned digit = c >= 'a' ? (unsigned)(c - 'a' + 10) : (unsigned)(c - '0');
        value = value * 16 + digit;
    }
    return value;
}

static void expect(const char *what, struct wg_result got, enum wg_error want)
{
    if (got.err == want)
        return;
    printf("probe: %s gave %s, expected %s\n", what, wg_error_name(got.err), wg_error_name(want));
    wrong++;
}

/* Every syscall that takes a space, given `space` (which we may not reach). */
static void refused_as_space(wg_handle space, wg_handle ours)
{
    static struct wg_asset_info infos[4];
    const struct wg_exec_args args = {1, 6, "hello", 0};
    const wg_handle guess = 1ull << 24; /* slot 0, generation 1: some asset there */
    const enum wg_error no = WG_ERR_ACCESS_DENIED;
    expect("SPACE_CREATE", wg_space_create(space, 0), no);
    expect("SPACE_DESTROY (as holder)", wg_space_destroy(space, guess), no);
    expect("ASSET_LIST", wg_asset_list(space, infos, 4), no);
    expect("ASSET_INFO", wg_asset_info(space, guess, infos), no);
    expect("ASSET_RELEASE", wg_asset_release(space, guess), no);
    expect("ASSET_MOVE (from)", wg_asset_move(space, guess, WG_SELF), no);
    expect("ASSET_COPY (from)", wg_asset_copy(space, guess, WG_SELF), no);
    expect("ASSET_MOVE (to)", wg_asset_move(WG_SELF, ours, space), no);
    expect("ASSET_COPY (to)", wg_asset_copy(WG_SELF, ours, space), no);
    expect("PMEM_CREATE", wg_pmem_create(space, 1, 0, WG_PMEM_ANY_NODE), no);
    expect("PMEM_PHYS_ADDR", wg_pmem_phys_addr(space, guess), no);
    expect("VMEM_MAP", wg_vmem_map(space, guess, 0x10000000, WG_MAP_READ), no);
    expect("TASK_CREATE", wg_task_create(space, 0x400000, 0, 0), no);
    expect("TASK_START", wg_task_start(space, guess), no);
    expect("TASK_WAIT", wg_task_wait(space, guess, 0), no);
    expect("TASK_KILL", wg_task_kill(space, guess), no);
    expect("TASK_SET_PRIORITY", wg_task_set_priority(space, guess, 1), no);
    expect("TASK_SET_AFFINITY", wg_task_set_affinity(space, guess, 1), no);
    expect("EXEC", wg_exec(space, "hello", 5, &args), no);
    expect("SPACE_DESTROY (as victim)", wg_space_destroy(WG_SELF, space), no);
}

static void check_space(wg_handle space)
{
    struct wg_asset_info info;
    expect("ASSET_INFO of the handle itself", wg_asset_info(WG_SELF, space, &info), WG_ERR_OK);
    wg_handle ours = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE).value;
    refused_as_space(space, ours);
    /* Copies of the handle are as powerless as the original. */
    wg_handle copy = wg_asset_copy(WG_SELF, space, WG_SELF).value;
    refused_as_space(copy, ours);
    expect("ASSET_RELEASE of the copy", wg_asset_release(WG_SELF, copy), WG_ERR_OK);
    expect("ASSET_RELEASE of the handle", wg_asset_release(WG_SELF, space), WG_ERR_OK);
}

static void check_own_space(wg_handle space)
{
    expect("SPACE_DESTROY of our own space", wg_space_destroy(WG_SELF, space),
           WG_ERR_ACCESS_DENIED);
    struct wg_result child = wg_space_create(space, 0);
    expect("SPACE_CREATE through our own handle", child, WG_ERR_OK);
    expect("SPACE_DESTROY of that child", wg_space_destroy(space, child.value), WG_ERR_OK);
    expect("ASSET_RELEASE of our own handle", wg_asset_release(WG_SELF, space), WG_ERR_OK);
}

static void check_task(wg_handle task)
{
    const enum wg_error no = WG_ERR_ACCESS_DENIED;
    struct wg_asset_info info;
    expect("ASSET_INFO of the handle itself", wg_asset_info(WG_SELF, task, &info), WG_ERR_OK);
    expect("TASK_START", wg_task_start(WG_SELF, task), no);
    expect("TASK_WAIT (poll)", wg_task_wait(WG_SELF, task, 0), no);
    expect("TASK_WAIT (1 ms)", wg_task_wait(WG_SELF, task, MS_NS), no);
    expect("TASK_KILL", wg_task_kill(WG_SELF, task), no);
    expect("TASK_SET_PRIORITY", wg_task_set_priority(WG_SELF, task, 1), no);
    expect("TASK_SET_AFFINITY", wg_task_set_affinity(WG_SELF, task, 1), no);
    expect("ASSET_RELEASE of the handle", wg_asset_release(WG_SELF, task), WG_ERR_OK);
}

/* The shared page: word 0 is our "ready" flag (1 once words 1-15 hold i * 0x1111), word 16
 * systest's answer flag (its value is our exit status, once words 17-31 hold i * 0x2222). */
static int share(wg_handle pmem, uint64_t address)
{
    struct wg_result vmem = wg_vmem_map(WG_SELF, pmem, address, WG_MAP_READ | WG_MAP_WRITE);
    if (!wg_ok(vmem)) {
        printf("probe: VMEM_MAP of the shared pmem: %s\n", wg_error_name(vmem.err));
        return -2;
    }
    volatile uint64_t *words = (volatile uint64_t *)address;
    for (int i = 1; i < 16; i++)
        words[i] = (uint64_t)i * 0x1111;
    __atomic_store_n(&words[0], 1, __ATOMIC_RELEASE);
    for (int waited = 0; __atomic_load_n(&words[16], __ATOMIC_ACQUIRE) == 0; waited++) {
        if (waited == 5000)
            return -3;
        wg_sleep(MS_NS);
    }
    for (int i = 17; i < 32; i++)
        if (words[i] != (uint64_t)i * 0x2222)
            return -4;
    return (int)words[16];
}

__attribute__((noreturn)) static void tree(int depth)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, 4, 0, WG_PMEM_ANY_NODE);
    if (wg_ok(pmem))
        wg_vmem_map(WG_SELF, pmem.value, 0x20000000, WG_MAP_READ | WG_MAP_WRITE);
    char below[4];
    snprintf(below, sizeof below, "%d", depth - 1);
    const char *argv[] = {"probe", "tree", below};
    for (int i = 0; depth > 0 && i < 2; i++) {
        struct wg_process child;
        enum wg_error err = wg_spawn("probe", 3, argv, &child);
        if (err != WG_ERR_OK)
            printf("probe: spawning a tree child: %s\n", wg_error_name(err));
    }
    for (;;)
        wg_sleep(SECOND_NS);
}

static int own_priority(void)
{
    wg_handle self = wg_task_self().value;
    for (unsigned p = WG_PRIORITY_MAX; p >= 1; p--)
        if (wg_task_set_priority(WG_SELF, self, p).err != WG_ERR_ACCESS_DENIED)
            return (int)p;
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    uint64_t a = argc > 2 ? parse_hex(argv[2]) : 0;
    uint64_t b = argc > 3 ? parse_hex(argv[3]) : 0;
    if (strcmp(mode, "exit") == 0)
        return (int)a;
    if (strcmp(mode, "argsum") == 0) {
        int characters = 0;
        for (int i = 0; i < argc; i++)
            characters += (int)strlen(argv[i]);
        return argc * 10000 + characters;
    }
    if (strcmp(mode, "priority") == 0)
        return own_priority();
    if (strcmp(mode, "sleep") == 0)
        for (;;)
            wg_sleep(SECOND_NS);
    if (strcmp(mode, "space") == 0)
        check_space(a);
    else if (strcmp(mode, "ownspace") == 0)
        check_own_space(a);
    else if (strcmp(mode, "task") == 0 || strcmp(mode, "deadtask") == 0)
        check_task(a);
    else if (strcmp(mode, "share") == 0)
        return share(a, b);
    else if (strcmp(mode, "tree") == 0)
        tree((int)a);
    else
        return -1;
    return wrong;
}
