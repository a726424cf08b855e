/* Translations of what pledger says to people (gettext domain "pledger").
 *
 * Records stay in English: a finding or an error keeps its English text
 * for the registry and the journal, and carries a translation beside it
 * for the person at the window (error.h, findings.h).  Codes are never
 * translated.  The language follows the process's locale (LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG) or pledger_set_language(). */
#ifndef PL_BASE_I18N_H
#define PL_BASE_I18N_H

#include <stdarg.h>
#include <stdbool.h>

#include "base/error.h"

/* Marks a string for extraction without translating it where it stands
 * (rule tables, name tables); pl_tr() translates it where it is shown. */
#define N_(s) s

/* The same for a message of a context (msgctxt): a word that means one
 * thing as a state and another elsewhere ("registered"). */
#define NC_(ctx, s) s

/* The translation of @msgid in the current language, or @msgid itself
 * (the same pointer) when there is none.  Never NULL for a non-NULL
 * @msgid. */
const char *pl_tr(const char *msgid);

/* Fragments: a %s argument of a message that is itself text for people
 * ("pledgor", "the patent", an identifier's error message).  The English
 * message shows the argument as it is; the translated message shows its
 * translation.  pl_frag_pair() returns @en, the argument to pass, and
 * remembers (per thread, for the next messages formatted) that @en is
 * shown as @local in the translation; pl_frag() does so with @s's own
 * catalogue translation (mark the literal with N_() or pass it directly:
 * xgettext extracts pl_frag's argument).  An argument is recognised by
 * its address and text together, so a party's name that happens to read
 * "pledgor" is never translated. */
const char *pl_frag_pair(const char *en, const char *local);
const char *pl_frag(const char *s);
/* pl_frag() with the translation of @s in context @ctx ("kind", "state",
 * "role": the names of the API's enumerations, marked with NC_()).  It
 * returns @s, the English argument, as pl_frag() does. */
const char *pl_frag_ctx(const char *ctx, const char *s);

/* The translation of @s in context @ctx itself (@s when there is none):
 * for composing a translated text out of several such words. */
const char *pl_tr_ctx(const char *ctx, const char *s);

/* vasprintf() of a translated format, with every fragment argument shown
 * as its translation (pl_frag_pair()); forgets the fragments.  NULL when
 * out of memory. */
char *pl_vasprintf_local(const char *fmt, va_list ap);

/* @fmt (a message marked with N_()) formatted into @en, and its
 * translation into @local (empty when the catalogue has none): words
 * made from a library's error, to pass on with pl_frag_pair(). */
void pl_say(char *en, char *local, size_t size, const char *fmt, ...)
    PL_PRINTF(4, 5);

/* Forget the fragments remembered for this thread. */
void pl_frag_clear(void);

#endif
