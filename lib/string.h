/* The few C string and memory functions the kernel and userspace need, with their standard
 * names and meanings (the compiler itself emits calls to memcpy, memmove, memset, memcmp). */
#pragma once

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
/* Like memcpy, but the two areas may overlap. */
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
/* Compares bytes as unsigned char: negative, zero or positive. */
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
/* Length of s, looking at no more than max characters. */
size_t strnlen(const char *s, size_t max);
/* Copies at most size-1 characters and always terminates (when size > 0); returns
 * strlen(src), so a result >= size means the copy was cut. */
size_t strlcpy(char *dest, const char *src, size_t size);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* First occurrence of (char)c in s, which may be the terminating NUL; NULL if none. */
char *strchr(const char *s, int c);
