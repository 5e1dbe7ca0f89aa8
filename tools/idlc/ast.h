/* The IDL compiler's syntax tree: what the parser builds, the checker resolves and annotates
 * (sizes, handle slots, ordinals) and the generators print. Everything lives in one arena
 * (arena.h) and is freed with it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pos {
    int line, col;
};

enum type_kind {
    TYPE_INT,
    TYPE_BOOL,
    TYPE_NAMED, /* a name before the checker resolves it to enum, flags or struct */
    TYPE_ENUM,
    TYPE_FLAGS,
    TYPE_STRUCT,
    TYPE_STRING,
    TYPE_BYTES,
    TYPE_VECTOR,
    TYPE_HANDLE, /* handle<kind, rights>, client<P> and server<P> */
    TYPE_PTR,    /* syscalls only: ptr<in|out|inout, C type, count argument> */
};

enum ptr_direction { PTR_IN, PTR_OUT, PTR_INOUT };

struct decl;
struct protocol;

struct type {
    enum type_kind kind;
    struct pos pos;
    int bits;         /* TYPE_INT: 8, 16, 32, 64 */
    bool is_signed;   /* TYPE_INT */
    const char *name; /* TYPE_NAMED: the name; TYPE_HANDLE: the asset kind's C name */
    struct decl *decl;
    uint32_t bound;     /* string, bytes, vector: the most bytes or items */
    struct type *elem;  /* vector */
    uint32_t rights;    /* handle: the WG_RIGHT_* bits it must carry (and is sent with) */
    bool keep_rights;   /* handle: sent with all the sender's rights, not only `rights` */
    const char *end_of; /* client<P> / server<P>: the protocol's name, for documentation */
    enum ptr_direction direction; /* ptr: what the kernel does with the memory */
    const char *c_elem;           /* ptr: the C type pointed to, "struct wg_message" */
    const char *count;            /* ptr: the argument giving how many items; NULL: one */
};

struct field {
    const char *name;
    struct pos pos;
    struct type *type;
    bool optional;
    int since; /* @since(N), 0 when absent */
    struct field *next;
};

struct member {
    const char *name;
    struct pos pos;
    uint64_t value;
    struct member *next;
};

enum decl_kind { DECL_ENUM, DECL_FLAGS, DECL_STRUCT };

struct decl {
    enum decl_kind kind;
    const char *name;
    struct pos pos;
    struct type *base;      /* enum, flags: the integer type */
    struct member *members; /* enum, flags */
    struct field *fields;   /* struct */
    int state;              /* checker: 0 new, 1 being sized, 2 sized */
    uint64_t max_size;      /* checker: most bytes its encoding takes */
    unsigned handles;       /* checker: handle slots it holds */
    struct decl *next;
};

struct method {
    const char *name;
    struct pos pos;
    bool is_event;
    bool two_way;
    struct field *request;  /* for an event: its fields */
    struct field *response; /* two-way only */
    uint64_t errors;        /* bit e: the error WG_ERR_* number e may be answered */
    int since, removed;
    bool noreturn;    /* syscalls: @noreturn, the call never returns */
    const char *stub; /* syscalls: @stub(NAME), the user stub is wg_NAME */
    uint32_t ordinal;
    uint64_t request_max, response_max; /* checker: body sizes */
    unsigned request_handles, response_handles;
    struct method *next;
};

struct protocol {
    const char *name;
    const char *c_name; /* snake_case prefix of its functions */
    struct pos pos;
    int version;
    struct method *methods;
    bool has_events;
    uint32_t event_wait_ordinal;
    struct protocol *next;
};

struct idl_file {
    const char *path;
    const char *library;
    struct pos library_pos;
    struct decl *decls;
    struct protocol *protocols;
    struct protocol *syscalls; /* the `syscalls` block (idlc --syscalls), or NULL */
};
