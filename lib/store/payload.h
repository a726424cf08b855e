/* Reading a journal event's payload once: see payload.c. */
#ifndef PL_STORE_PAYLOAD_H
#define PL_STORE_PAYLOAD_H

#include <stdbool.h>
#include "store/sqlite.h"
#include <stddef.h>
#include <stdint.h>

/* The members of the payload's objects and the elements of its arrays,
 * each with its raw JSON text, parsed once per event (SQLite's -> and ->>
 * parse the whole payload again for every statement).  The library
 * writes canonical JSON (base/json.c): no white space, plain keys.  Only
 * such a payload is read here; for any other (white space, keys that
 * need quoting) and for the values this reading does not convert (\u
 * escapes, numbers that are not small integers, objects and arrays read
 * with ->>) SQLite's own -> and ->> give the value, so what a statement
 * receives never depends on which way it was read.  An array whose
 * elements do not fit in the table (an exchange batch's thousands of
 * items) is one member of type PL_J_OTHER, its elements unread: it is
 * bound as its text, and SQLite reads it, not the whole payload. */
enum pl_json_type { PL_J_STR, PL_J_ESC, PL_J_INT, PL_J_TRUE, PL_J_FALSE, PL_J_NULL, PL_J_ARRAY, PL_J_OBJECT, PL_J_OTHER };

typedef struct pl_member {
    const char *key, *val; /* key without quotes (NULL: an array's element); JSON text */
    int parent;            /* member whose value holds this one, -1: top level */
    unsigned klen, vlen;
    unsigned char type;
} pl_member;

#define PL_PAYLOAD_MAX_MEMBERS 512
#define PL_PAYLOAD_MAX_DEPTH 32
#define PL_PAYLOAD_SLOTS 1024 /* a power of two, over twice the members */

typedef struct pl_payload {
    const char *text, *end;
    bool plain; /* parsed; else every value comes from SQLite */
    bool full;  /* while reading: the members filled the table */
    int n;
    pl_member m[PL_PAYLOAD_MAX_MEMBERS];
    short slot[PL_PAYLOAD_SLOTS]; /* member index + 1 by (parent, key); 0: empty */
} pl_payload;

/* Read @text (NUL-terminated).  p->plain tells whether it was canonical
 * JSON read here; when not, every value must come from SQLite. */
void pl_payload_read(pl_payload *p, const char *text);

/* The member named by @name ("a__b" for $.a.b) inside member @i (-1: at
 * the top), or NULL. */
const pl_member *pl_payload_find(const pl_payload *p, int i, const char *name);

/* The @n bytes of a string's text at @s without their escapes (none is
 * \u), allocated with sqlite3_malloc64, NUL-terminated; NULL when out of
 * memory. */
char *pl_payload_unescape(const char *s, size_t n, size_t *out_len);

/* The value of a PL_J_INT member (a small integer: no overflow). */
int64_t pl_payload_int(const pl_member *m);

/* The string value of member @m without its quotes and escapes,
 * allocated with malloc (free()), NUL-terminated; NULL when @m is not a
 * string read here (PL_J_STR, PL_J_ESC) or out of memory. */
char *pl_payload_string(const pl_member *m);

#endif
