/* A small builder of canonical JSON (the journal's payloads): no white
 * space, keys in the order the caller adds them (callers add them sorted),
 * strings escaped per RFC 8259, integers only (no floats anywhere).
 * Canonical means deterministic: the library always writes the members of
 * a payload in the same order, so equal changes hash equally. */
#ifndef PL_BASE_JSON_H
#define PL_BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pl_json {
    char *buf;
    size_t len, cap;
    bool oom;
    bool first; /* no member yet in the current object/array */
} pl_json;

void pl_json_init(pl_json *j);          /* starts the top-level object "{" */
void pl_json_key(pl_json *j, const char *key);
void pl_json_str(pl_json *j, const char *key, const char *value); /* NULL -> null */
void pl_json_int(pl_json *j, const char *key, int64_t value);
void pl_json_bool(pl_json *j, const char *key, bool value);
void pl_json_null(pl_json *j, const char *key);
/* Insert @raw, which must already be valid JSON, as the value of @key. */
void pl_json_raw(pl_json *j, const char *key, const char *raw);
void pl_json_begin_object(pl_json *j, const char *key); /* key NULL inside arrays */
void pl_json_end_object(pl_json *j);
void pl_json_begin_array(pl_json *j, const char *key);
void pl_json_end_array(pl_json *j);
void pl_json_item_str(pl_json *j, const char *value);
void pl_json_item_int(pl_json *j, int64_t value);
/* Close the top-level object and hand over the text (caller frees);
 * NULL when an allocation failed. */
char *pl_json_finish(pl_json *j);
void pl_json_discard(pl_json *j);

#endif
