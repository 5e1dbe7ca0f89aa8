/* wip */
#include "ipct.h"
const struct test short_end_tests[] = {{NULL, NULL, false}};
