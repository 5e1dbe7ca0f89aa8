/* The runtime of the code idlc generates (docs/idl.md): the wire format of a message body,
 * the writer and reader the generated encoders and decoders drive, and the transport the
 * generated stubs call (idl_rt_*: user/lib/idl_rt.c on WingOS, a loopback shim in the host
 * tests). Nothing here knows a protocol.
 *
 * A message: entry 0 is the header; entries 1..H hold the message's H handle slots (an
 * empty entry is an absent optional handle); then the body. A body of up to (5 - H) * 8
 * bytes travels inline in the next entries, byte i in bits 8*(i%8).. of entry value i/8,
 * the rest zero. A longer one travels in a physical memory asset (entry H+1, moved) whose
 * first bytes hold it, and entry H+2 gives its length. Unused entries are empty. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define IDL_ENTRIES      (WG_MESSAGE_ENTRIES - 1) /* entries after the header */
#define IDL_INLINE_MAX   (IDL_ENTRIES * 8)
#define IDL_BODY_MAX     (256u * 1024u) /* most bytes of a body, inline or not */
#define IDL_INVALID_SIZE SIZE_MAX       /* a size function's answer for a value out of bounds */
#define IDL_SMALL_BODY   256 /* out-of-line bodies up to this are copied into the reader itself */
#define IDL_SMALL_FRAME                                                      \
    512 /* a dispatcher keeps a request and response this small on its stack \
         */

/* The header (entry 0's value): bits 0-31 the method's ordinal, 32-39 the answer's error
 * (responses only), bit 40 the body is out of line, 48-55 an inline body's length. */
#define IDL_HEADER_ORDINAL_MASK 0xffffffffull
#define IDL_HEADER_ERROR_SHIFT  32
#define IDL_HEADER_OUT_OF_LINE  (1ull << 40)
#define IDL_HEADER_LENGTH_SHIFT 48
#define IDL_HEADER_KNOWN_BITS   (0x00ff01ffffffffffull)

/* Errors any answer may carry besides a method's own: the decoder's and the dispatcher's. */
#define IDL_ANSWER_ERRORS                                                               \
    (1ull << WG_ERR_BAD_FORMAT | 1ull << WG_ERR_WRONG_KIND | 1ull << WG_ERR_NO_MEMORY | \
     1ull << WG_ERR_NOT_SUPPORTED | 1ull << WG_ERR_INVALID_ARGUMENT |                   \
     1ull << WG_ERR_ACCESS_DENIED)

/* Builds one message: begin, put every field in order, end (or abort). */
struct idl_writer {
    struct wg_message *message;
    uint8_t *body;
    size_t size, used;
    unsigned handle_slots, handles;
    bool broken; /* a put did not match the size given to begin */
    wg_handle pmem, vmem;
    uint8_t inline_body[IDL_INLINE_MAX];
};

/* Reads one message: begin (checks the frame, copies the body out), get every field, end. */
struct idl_reader {
    const struct wg_message *message;
    const uint8_t *body;
    size_t size, used;
    unsigned handle_slots, handles;
    enum wg_error err; /* why a get failed */
    uint8_t *copy;     /* a large out-of-line body, copied out of the memory asset */
    uint8_t small_body[IDL_SMALL_BODY]; /* an inline or small out-of-line body */
};

/* What a server handler learns of the request it serves. A two-way handler that cannot
 * answer now sets `deferred` and answers later with the method's _reply function. */
struct idl_call {
    wg_handle server, connection;
    uint64_t token; /* the reply token; 0 when no reply is expected */
    bool deferred;
};

/* One generated decoder, for tests and fuzzing: decodes `message` into `out` (`size` bytes). */
struct idl_decoder {
    const char *name;
    uint32_t ordinal;
    size_t size;
    enum wg_error (*decode)(const struct wg_message *message, void *out);
};

/* ---- writing ---- */

/* Starts `out` for `ordinal` with `handle_slots` handles and a body of `size` bytes (its
 * memory asset made when it does not fit inline). `err`: a response's error, else OK. */
enum wg_error idl_write_begin(struct idl_writer *w, struct wg_message *out, uint32_t ordinal,
                              enum wg_error err, unsigned handle_slots, size_t size);
void idl_put_u8(struct idl_writer *w, uint8_t value);
void idl_put_u16(struct idl_writer *w, uint16_t value);
void idl_put_u32(struct idl_writer *w, uint32_t value);
void idl_put_u64(struct idl_writer *w, uint64_t value);
/* A count or length prefix of `prefix` bytes (1, 2 or 4). */
void idl_put_count(struct idl_writer *w, uint32_t count, unsigned prefix);
void idl_put_raw(struct idl_writer *w, const void *bytes, size_t length);
/* The next handle slot: moved to the receiver with only `rights` (WG_ENTRY_RESTRICT), or
 * with every right it has for IDL_KEEP_RIGHTS; 0 leaves the slot empty (absent). */
#define IDL_KEEP_RIGHTS UINT32_MAX
void idl_put_handle(struct idl_writer *w, wg_handle handle, uint32_t rights);
/* Finishes the message; INVALID_ARGUMENT (and nothing made) if the puts went wrong. */
enum wg_error idl_write_end(struct idl_writer *w);

/* A string's encoded length: the bytes before its NUL, or IDL_INVALID_SIZE when there are
 * more than `bound` of them. */
size_t idl_string_length(const char *text, uint32_t bound);

/* A message built but not sent: releases its out-of-line body asset (the handles of the
 * fields stay the caller's). */
void idl_unsent(const struct wg_message *message, unsigned handle_slots);

/* ---- reading ---- */

/* Checks the frame of `message` (ordinal, reserved bits, empty entries) and takes its body.
 * A response (`response`) carrying an error answers that error. On any answer but OK the
 * message's assets are released by idl_read_end, which must always follow. */
enum wg_error idl_read_begin(struct idl_reader *r, const struct wg_message *message,
                             uint32_t ordinal, unsigned handle_slots, bool response);
bool idl_get_u8(struct idl_reader *r, uint8_t *value);
bool idl_get_u16(struct idl_reader *r, uint16_t *value);
bool idl_get_u32(struct idl_reader *r, uint32_t *value);
bool idl_get_u64(struct idl_reader *r, uint64_t *value);
bool idl_get_bool(struct idl_reader *r, bool *value);
/* A prefix of `prefix` bytes whose value is at most `bound`. */
bool idl_get_count(struct idl_reader *r, uint32_t *count, uint32_t bound, unsigned prefix);
bool idl_get_raw(struct idl_reader *r, void *bytes, size_t length);
/* A string of at most `bound` bytes, none of them NUL, into out[bound + 1], terminated. */
bool idl_get_string(struct idl_reader *r, char *out, uint32_t bound, unsigned prefix);
/* The next handle slot, which must hold an asset of `kind` (WRONG_KIND otherwise) whose
 * handle has every right of `rights` (ACCESS_DENIED otherwise), or be empty when
 * `optional` (then *out = 0). */
bool idl_get_handle(struct idl_reader *r, uint32_t kind, uint32_t rights, bool optional,
                    wg_handle *out);
bool idl_at_end(const struct idl_reader *r);
/* A get failed with `err` (a bad value the runtime cannot see, e.g. an enum's). */
bool idl_fail(struct idl_reader *r, enum wg_error err);
/* Ends reading: frees the body copy, releases the body asset and, when `err` is not OK,
 * every asset of the message. Returns `err`. */
enum wg_error idl_read_end(struct idl_reader *r, enum wg_error err);

/* The ordinal of a received message. */
uint32_t idl_ordinal(const struct wg_message *message);

/* Releases every asset a message brought (a request nobody will decode). */
void idl_release_assets(const struct wg_message *message);

/* Answers `call` with only an error (when a reply is expected and not deferred). */
enum wg_error idl_answer(const struct idl_call *call, uint32_t ordinal, enum wg_error err);

/* ---- the transport (idl_rt.c, or the host tests' shim) ---- */

enum wg_error idl_rt_call(wg_handle connection, const struct wg_message *request,
                          struct wg_message *reply, uint64_t timeout_ns);
enum wg_error idl_rt_send(wg_handle connection, const struct wg_message *message, bool expect_reply,
                          uint64_t *id);
enum wg_error idl_rt_receive_reply(wg_handle connection, uint64_t id, struct wg_message *reply,
                                   uint64_t timeout_ns);
enum wg_error idl_rt_reply(wg_handle server, uint64_t token, const struct wg_message *reply);
/* The kind of the asset `handle` names (WG_ASSET_NONE if none) and its size in bytes. */
uint32_t idl_rt_asset_kind(wg_handle handle, uint64_t *size);
void idl_rt_release(wg_handle handle);
/* A new physical memory asset of at least `size` bytes, mapped writable at *map. */
enum wg_error idl_rt_body_create(size_t size, wg_handle *pmem, wg_handle *vmem, void **map);
/* Maps `pmem` (at least `size` bytes) readable at *map. */
enum wg_error idl_rt_body_map(wg_handle pmem, size_t size, wg_handle *vmem, const void **map);
void idl_rt_unmap(wg_handle vmem);
/* Makes what the first out-of-line body would make and keep (page tables of the mapping
 * window), so a service can do it at start-up and resource checks see no growth later. */
void idl_rt_warm_up(void);
void *idl_rt_alloc(size_t size);
void idl_rt_free(void *pointer);
