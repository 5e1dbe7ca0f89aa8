/* Kernel command line lookup. */
#include "kernel/cmdline.h"
#include "lib/string.h"

static bool word_has_key(const char *word, size_t length, const char *key)
{
    size_t key_length = strlen(key);
    return length >= key_length && memcmp(word, key, key_length) == 0 &&
           (length == key_length || word[key_length] == '=');
}

bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size)
{
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t length = (size_t)(p - word);
        if (length == 0 || !word_has_key(word, length, key))
            continue;
        size_t key_length = strlen(key);
        const char *v = word + key_length + (length > key_length ? 1 : 0);
        size_t value_length = (size_t)(p - v);
        if (value && size > 0) {
            size_t n = value_length < size - 1 ? value_length : size - 1;
            memcpy(value, v, n);
            value[n] = '\0';
        }
        return true;
    }
    return false;
}
