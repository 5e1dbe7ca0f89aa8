/* A tiny unit-test framework for host tests (built with ASan and UBSan).
 *
 * TEST(name) { ... } defines a test; CHECK(cond) records a failure and goes on,
 * REQUIRE(cond) records a failure and leaves the test. test_main.c runs every test,
 * prints "PASS name" or "FAIL name", then a last line "<binary>: N passed, M failed"
 * which the top-level `make test` sums. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct test_case {
    const char *name;
    void (*fn)(void);
    struct test_case *next;
};

void test_register(struct test_case *tc);
void test_fail(const char *file, int line, const char *expr);

#define TEST(name)                                                            \
    static void test_fn_##name(void);                                         \
    static struct test_case test_case_##name = {#name, test_fn_##name, NULL}; \
    __attribute__((constructor)) static void test_reg_##name(void)            \
    {                                                                         \
        test_register(&test_case_##name);                                     \
    }                                                                         \
    static void test_fn_##name(void)

#define CHECK(cond)                               \
    do {                                          \
        if (!(cond))                              \
            test_fail(__FILE__, __LINE__, #cond); \
    } while (0)

#define REQUIRE(cond)                             \
    do {                                          \
        if (!(cond)) {                            \
            test_fail(__FILE__, __LINE__, #cond); \
            return;                               \
        }                                         \
    } while (0)

#define CHECK_EQ(a, b) CHECK((a) == (b))
