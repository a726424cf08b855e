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
/* A message as a reader is shown it: @msg (which may quote what a client
 * sent) with every character that is not visible text written out, so
 * that a terminal or a log viewer shows what it is rather than obeying
 * it -- a control character (C0 but for none, DEL, C1) and a byte that
 * begins no UTF-8 sequence as \xNN (as the library's messages write a
 * control character), a format character (the bidirectional controls
 * U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C; the
 * invisible U+200B to U+200D, U+2060 to U+2064, U+00AD, U+FEFF, the
 * tags; every character of Unicode's category Cf) and the line and
 * paragraph separators U+2028, U+2029 as \uXXXX (\U00XXXXXX past
 * U+FFFF).  Written into @out (@size bytes, NUL included; cut at a
 * whole character or escape) when @size is not 0; returns the length the
 * whole of it takes, as snprintf() does. */
size_t jw_shown(char *out, size_t size, const char *msg);
/* @cp is one that shows nothing or turns the text around it (Unicode's
 * Cf, Zl and Zp: U+200B, U+FEFF, the bidirectional controls): what
 * jw_shown() writes out as \uXXXX */
bool jw_unseen(uint32_t cp);
/* key + @msg as jw_shown() shows it */
void jw_kmsg(jw *w, const char *key, const char *msg);
/* The text (NUL-terminated, owned by @w), NULL when out of memory. */
const char *jw_text(jw *w);

#endif
