/* Directory entry records (fs_dirent.h). */
#include <lib/string.h>
#include "fs_dirent.h"

static uint32_t record_size(uint32_t name_length)
{
    return (uint32_t)(sizeof(struct fs_dirent) + name_length + 1 + 7) & ~7u;
}

bool fs_dirent_put(uint8_t *buf, uint32_t size, uint32_t *used, const struct fs_dirent *head,
                   const char *name)
{
    uint32_t need = record_size(head->name_length);
    if (head->name_length == 0 || *used > size || need > size - *used)
        return false;
    struct fs_dirent *record = (struct fs_dirent *)(buf + *used);
    *record = *head;
    record->record_size = (uint16_t)need;
    record->reserved = 0;
    memcpy(record->name, name, head->name_length);
    memset(record->name + head->name_length, 0, need - sizeof *record - head->name_length);
    *used += need;
    return true;
}

bool fs_dirent_next(const uint8_t *buf, uint32_t bytes, uint32_t *at, struct fs_dirent *out)
{
    if (*at > bytes || bytes - *at < sizeof *out || (*at & 7))
        return false;
    memcpy(out, buf + *at, sizeof *out);
    uint32_t need = record_size(out->name_length);
    if (out->name_length == 0 || out->record_size != need || need > bytes - *at)
        return false;
    memcpy(out->name, buf + *at + sizeof *out, out->name_length);
    out->name[out->name_length] = '\0';
    if (strlen(out->name) != out->name_length)
        return false; /* a NUL inside the name */
    *at += need;
    return true;
}
