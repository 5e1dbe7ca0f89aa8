/* wip */
#include "ipct.h"
const struct test short_load_tests[] = {{NULL, NULL, false}};
