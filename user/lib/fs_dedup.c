/* The duplicate-request cache (fs_dedup.h). */
#include "fs_dedup.h"

static struct fs_dedup_client *find_client(struct fs_dedup *d, uint64_t client)
{
    for (unsigned i = 0; i < FS_DEDUP_CLIENTS; i++)
        if (d->clients[i].client == client)
            return &d->clients[i];
    return 0;
}

bool fs_dedup_find(struct fs_dedup *d, uint64_t client, uint64_t seq, enum wg_error *err)
{
    struct fs_dedup_client *c = client && seq ? find_client(d, client) : 0;
    for (unsigned i = 0; c && i < FS_DEDUP_DEPTH; i++)
        if (c->recent[i].seq == seq) {
            c->last_use = ++d->clock;
            *err = c->recent[i].err;
            return true;
        }
    return false;
}

/* The slot of `client`, or a free or the least recently used one, emptied for it. */
static struct fs_dedup_client *slot_for(struct fs_dedup *d, uint64_t client)
{
    struct fs_dedup_client *c = find_client(d, client);
    if (c)
        return c;
    c = &d->clients[0];
    for (unsigned i = 1; i < FS_DEDUP_CLIENTS && c->client; i++)
        if (!d->clients[i].client || d->clients[i].last_use < c->last_use)
            c = &d->clients[i];
    *c = (struct fs_dedup_client){.client = client};
    return c;
}

void fs_dedup_record(struct fs_dedup *d, uint64_t client, uint64_t seq, enum wg_error err)
{
    if (!client || !seq)
        return;
    struct fs_dedup_client *c = slot_for(d, client);
    c->last_use = ++d->clock;
    c->recent[c->next].seq = seq;
    c->recent[c->next].err = err;
    c->next = (c->next + 1) % FS_DEDUP_DEPTH;
}

enum wg_error fs_dedup_resent(enum fs_dedup_op op, enum wg_error err)
{
    if (op == FS_DEDUP_MAKE && err == WG_ERR_ALREADY_EXISTS)
        return WG_ERR_OK;
    if (op == FS_DEDUP_REMOVE && err == WG_ERR_NOT_FOUND)
        return WG_ERR_OK;
    return err;
}
