/* The IDL checker's protocol rules (see check.h): method names and ordinals, evolution
 * attributes, and whether each message's handles leave room for its body. */
#include <string.h>
#include "check.h"
#include "ident.h"

/* @since on message fields: only trailing fields, in order, none holding a handle. */
static void check_evolution(struct compile_ctx *ctx, const struct protocol *p, struct field *fields)
{
    int last = 0;
    for (struct field *f = fields; f; f = f->next) {
        if (!f->since && last)
            fail_at(ctx, f->pos, "field '%s' without @since follows one with it", f->name);
        if (f->since && f->since < last)
            fail_at(ctx, f->pos, "field '%s' has an older @since than the field before it",
                    f->name);
        if (f->since > p->version)
            fail_at(ctx, f->pos, "@since(%d) is newer than protocol '%s' (@version(%d))", f->since,
                    p->name, p->version);
        if (f->since && f->type->kind == TYPE_HANDLE)
            fail_at(ctx, f->pos, "a handle field cannot be added later (@since)");
        last = f->since ? f->since : last;
    }
}

/* A message's fields: sizes, handles, evolution, and room for the body beside the handles:
 * a body that may not fit inline needs two entries (the memory asset and its length). */
static void check_message(struct compile_ctx *ctx, struct idl_file *file, const struct protocol *p,
                          struct method *m, struct field *fields, uint64_t *size, unsigned *handles)
{
    check_fields(ctx, file, fields, size, handles);
    for (struct field *f = fields; f; f = f->next)
        if (f->type->kind == TYPE_STRUCT && f->type->decl->handles && f->since)
            fail_at(ctx, f->pos, "a handle field cannot be added later (@since)");
    check_evolution(ctx, p, fields);
    unsigned room = CHECK_ENTRIES - *handles;
    if (*size > (uint64_t)room * 8 && room < 2)
        fail_at(ctx, m->pos, "'%s': %u handles leave no room for a body of up to %llu bytes",
                m->name, *handles, (unsigned long long)*size);
}

static void check_versions(struct compile_ctx *ctx, const struct protocol *p,
                           const struct method *m)
{
    if (m->since > p->version || m->removed > p->version)
        fail_at(ctx, m->pos, "'%s' names a version newer than protocol '%s' (@version(%d))",
                m->name, p->name, p->version);
    if (m->removed && m->since >= m->removed)
        fail_at(ctx, m->pos, "'%s' is removed before it was added", m->name);
}

/* Every ordinal of the protocol is unique and not 0 (the event wait's included). */
static void check_ordinal_unique(struct compile_ctx *ctx, const struct protocol *p,
                                 const struct method *m)
{
    if (m->ordinal == 0 || m->ordinal == p->event_wait_ordinal)
        fail_at(ctx, m->pos, "the ordinal of '%s' is reserved; rename it", m->name);
    for (const struct method *o = p->methods; o != m; o = o->next)
        if (o->ordinal == m->ordinal)
            fail_at(ctx, m->pos, "the ordinals of '%s' and '%s' collide; rename one", m->name,
                    o->name);
}

void check_protocol(struct compile_ctx *ctx, struct idl_file *file, struct protocol *p)
{
    p->c_name = ident_snake(ctx, p->name);
    p->event_wait_ordinal = check_ordinal(file->library, p->name, "#events");
    if (p->event_wait_ordinal == 0)
        fail_at(ctx, p->pos, "the event ordinal of '%s' is reserved; rename it", p->name);
    for (struct method *m = p->methods; m; m = m->next) {
        check_c_name(ctx, m->name, m->pos);
        if (!strcmp(m->name, "event_wait") || !strcmp(m->name, "dispatch") ||
            !strcmp(m->name, "handlers"))
            fail_at(ctx, m->pos, "'%s' is reserved", m->name);
        for (struct method *o = p->methods; o != m; o = o->next)
            if (strcmp(o->name, m->name) == 0)
                fail_at(ctx, m->pos, "'%s' is declared twice in '%s'", m->name, p->name);
        check_versions(ctx, p, m);
        check_message(ctx, file, p, m, m->request, &m->request_max, &m->request_handles);
        if (m->two_way)
            check_message(ctx, file, p, m, m->response, &m->response_max, &m->response_handles);
        m->ordinal = check_ordinal(file->library, p->name, m->name);
        check_ordinal_unique(ctx, p, m);
        p->has_events |= m->is_event && !m->removed;
    }
}
