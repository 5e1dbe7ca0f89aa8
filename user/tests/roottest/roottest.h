/* roottest's parts: the connection to init (main.c) and the I/O-port tests (ioports.c). */
#pragma once

#include <test/rootcall.h>
#include <test/test.h>

/* An I/O-port asset for ports [first, first + count), made by init and moved to us. */
struct wg_result roottest_ioport_create(uint32_t first, uint32_t count);

extern const struct test roottest_ioport_tests[];
