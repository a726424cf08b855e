/* A JSON writer for the service's answers: a growing buffer, strings
 * escaped per RFC 8259.  pledgerd uses the public API of libpledger only,
 * so it has its own (the library's is internal). */
#ifndef PLEDGERD_JSONW_H
#define PLEDGERD_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jw {
    char *buf;
    size_t len, cap;
    bool oom;
    bool comma; /* a value was written at this level */
} jw;

void jw_init(jw *w);
void jw_free(jw *w);
void jw_obj(jw *w);          /* { */
void jw_end_obj(jw *w);      /* } */
void jw_arr(jw *w);          /* [ */
void jw_end_arr(jw *w);      /* ] */
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s); /* NULL: null */
void jw_int(jw *w, int64_t v);
void jw_uint(jw *w, uint64_t v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* key + value in one */
void jw_kstr(jw *w, const char *key, const char *s);
void jw_kint(jw *w, const char *key, int64_t v);
/* The text (NUL-terminated, owned by @w), NULL when out of memory. */
const char *jw_text(jw *w);

#endif
