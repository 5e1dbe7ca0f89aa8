/* What a program in a child space may reach: handles of spaces and tasks above or beside it
 * are refused however it got them (a copy from us), its own space is usable but not
 * destroyable, and memory we grant it is really shared. The checks run in "probe", which
 * exits with the number of wrong answers and prints each. */
#include "systest.h"

#define SHARED_AT_CHILD 0x30000000ull

static int64_t exit_seven(uint64_t arg)
{
    (void)arg;
    return 7;
}

/* A parent space P of ours with two children: `me` (where the probe runs) and `sibling`;
 * our handles to both are copies of P's. */
struct family {
    wg_handle parent;
    struct helper me, sibling;
};

static bool family_create(struct family *f)
{
    *f = (struct family){0};
    f->parent = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle me = VALUE(wg_space_create(f->parent, 0));
    wg_handle sibling = VALUE(wg_space_create(f->parent, 0));
    f->me.space = VALUE(wg_asset_copy(f->parent, me, WG_SELF));
    f->sibling.space = VALUE(wg_asset_copy(f->parent, sibling, WG_SELF));
    return !test_failed();
}

static void family_destroy(struct family *f)
{
    helper_end(&f->me);
    helper_end(&f->sibling);
    if (f->parent)
        CHECK_OK(wg_space_destroy(WG_SELF, f->parent));
}

/* Runs "probe MODE <handle>" in f->me with our `handle` copied in (or, if `move`, a copy of
 * it moved in); checks it found no wrong answer. */
static void probe_with(struct family *f, const char *mode, wg_handle handle, bool move)
{
    char hex[20];
    wg_handle theirs = 0;
    if (move) {
        wg_handle copy = VALUE(wg_asset_copy(WG_SELF, handle, WG_SELF));
        theirs = copy ? VALUE(wg_asset_move(WG_SELF, copy, f->me.space)) : 0;
    } else {
        theirs = helper_give(&f->me, handle);
    }
    const char *argv[] = {"probe", mode, helper_hex(hex, theirs)};
    if (!theirs || !helper_exec(&f->me, "probe", 3, argv, 0))
        return;
    int64_t wrong = helper_wait(&f->me, 10 * SECOND_NS);
    CHECK(wrong == 0, "probe %s: %lld wrong answers (see its \"probe:\" lines)", mode,
          (long long)wrong);
}

static void test_parent_space(void)
{
    struct family f;
    if (family_create(&f))
        probe_with(&f, "space", f.parent, false);
    static struct wg_asset_info infos[8];
    CHECK(wg_asset_list(f.parent, infos, 8).value == 2, "the parent's assets changed");
    family_destroy(&f);
}

static void test_sibling_space(void)
{
    struct family f;
    if (family_create(&f))
        probe_with(&f, "space", f.sibling.space, true);
    static struct wg_asset_info infos[8];
    CHECK(wg_asset_list(f.sibling.space, infos, 8).value == 0, "the sibling's assets changed");
    family_destroy(&f);
}

static void test_own_space(void)
{
    struct family f;
    if (family_create(&f))
        probe_with(&f, "ownspace", f.me.space, false);
    family_destroy(&f);
}

static void test_parent_task(void)
{
    struct family f;
    struct thread sleeper;
    if (!family_create(&f) || !thread_start(&sleeper, thread_sleep_until_killed, 0, 0)) {
        family_destroy(&f);
        return;
    }
    probe_with(&f, "task", sleeper.task, false);
    CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, sleeper.task, 0));
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    CHECK(thread_join(&sleeper, 2 * SECOND_NS) == WG_EXIT_KILLED, "our sleeper's status");
    family_destroy(&f);
}

static void test_sibling_task(void)
{
    struct family f;
    const char *argv[] = {"probe", "sleep"};
    if (!family_create(&f) || !helper_exec(&f.sibling, "probe", 2, argv, 0)) {
        family_destroy(&f);
        return;
    }
    probe_with(&f, "task", f.sibling.task, true);
    CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, f.sibling.task, 0));
    family_destroy(&f);
}

/* A task of ours that has ended is still ours: its exit status is not the child's to read. */
static void test_exited_parent_task(void)
{
    struct family f;
    struct thread done;
    if (!family_create(&f) || !thread_start(&done, exit_seven, 0, 0)) {
        family_destroy(&f);
        return;
    }
    struct wg_result status = wg_task_wait(WG_SELF, done.task, 2 * SECOND_NS);
    CHECK(status.err == WG_ERR_OK && status.value == 7, "our thread did not end");
    probe_with(&f, "deadtask", done.task, false);
    thread_join(&done, SECOND_NS);
    family_destroy(&f);
}

/* A pmem copied into a child's space is the same memory there: each side sees the other's
 * writes, and it outlives the child. */
static void test_shared_memory(void)
{
    struct mapping m;
    struct helper child;
    if (!mapping_create(&m, 1, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE))
        return;
    if (!helper_create(&child)) {
        mapping_release(&m);
        return;
    }
    char hex_pmem[20], hex_at[20];
    wg_handle theirs = helper_give(&child, m.pmem);
    const char *argv[] = {"probe", "share", helper_hex(hex_pmem, theirs),
                          helper_hex(hex_at, SHARED_AT_CHILD)};
    if (theirs && helper_exec(&child, "probe", 4, argv, 0)) {
        if (CHECK(test_wait_nonzero(&m.words[0], 5 * SECOND_NS) == 1, "the child never wrote")) {
            for (int i = 1; i < 16; i++)
                CHECK(m.words[i] == (uint64_t)i * 0x1111, "word %d from the child is %#llx", i,
                      (unsigned long long)m.words[i]);
            for (int i = 17; i < 32; i++)
                m.words[i] = (uint64_t)i * 0x2222;
            __atomic_store_n(&m.words[16], 4242, __ATOMIC_RELEASE);
        }
        int64_t status = helper_wait(&child, 5 * SECOND_NS);
        CHECK(status == 4242, "the child read back %lld, not 4242", (long long)status);
    }
    helper_end(&child);
    CHECK(m.words[15] == 15 * 0x1111, "the memory changed when the child went");
    mapping_release(&m);
}

const struct test isolation_tests[] = {
    {"isolation_parent_space", test_parent_space, false},
    {"isolation_sibling_space", test_sibling_space, false},
    {"isolation_own_space", test_own_space, false},
    {"isolation_parent_task", test_parent_task, false},
    {"isolation_sibling_task", test_sibling_task, false},
    {"isolation_exited_parent_task", test_exited_parent_task, false},
    {"shared_memory_between_spaces", test_shared_memory, false},
    {NULL, NULL, false},
};
