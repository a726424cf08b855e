/* The language of an answer: the client's choice (Accept-Language,
 * RFC 9110 12.5.4) among the languages libpledger has a catalogue for;
 * English when none. */
#ifndef PLEDGERD_LANGUAGE_H
#define PLEDGERD_LANGUAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <pledger/pledger.h>

/* The language of pledgerd's own messages is pledger's catalogue's: they
 * are marked for it with N_() where they are written and translated
 * where they are answered (reply_error). */
#define N_(s) s
/* A message of the answer (a printf format too) in the thread's language. */
#define TR(s) pledger_translate(s)

/* The first language of @accept (an Accept-Language value; NULL: none),
 * by quality, that pledger speaks: the calling thread speaks it from now
 * (pledger_set_thread_language()) and @tag gets its name for
 * Content-Language ("zh-CN", "en").  false, with the thread's language
 * left as it was and @tag empty, when the header names none. */
bool language_pick(const char *accept, char tag[24]);

/* Make @lang ("zh-CN", "zh_CN", "en") the language of the whole process
 * (pledger_set_language(): call it before any thread starts): 0, or -1
 * with @err saying that pledger speaks no such language. */
int language_default(const char *lang, char *err, size_t err_size);

/* @lang as Content-Language names it ("zh_CN.UTF-8" is "zh-CN"), into @tag. */
void language_tag(const char *lang, char tag[24]);

#endif
