/* Force-included into the host build of lib/string.c and its test: gives lib/string.h's
 * functions names that clash neither with the host libc nor with ASan's interceptors. */
#pragma once

#define memcpy  lib_memcpy
#define memmove lib_memmove
#define memset  lib_memset
#define memcmp  lib_memcmp
#define strlen  lib_strlen
#define strnlen lib_strnlen
#define strcmp  lib_strcmp
#define strncmp lib_strncmp
#define strchr  lib_strchr
#define strlcpy lib_strlcpy
