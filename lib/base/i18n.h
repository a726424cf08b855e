/* Translations of what pledger says to people (gettext domain "pledger").
 *
 * Records stay in English: a finding or an error keeps its English text
 * for the registry and the journal, and carries a translation beside it
 * for the person at the window (error.h, findings.h).  Codes are never
 * translated.  The language follows the process's locale (LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG) or pledger_set_language(). */
#ifndef PL_BASE_I18N_H
#define PL_BASE_I18N_H

#include <stdbool.h>

/* Marks a string for extraction without translating it where it stands
 * (rule tables, name tables); pl_tr() translates it where it is shown. */
#define N_(s) s

/* The translation of @msgid in the current language, or @msgid itself
 * (the same pointer) when there is none.  Never NULL for a non-NULL
 * @msgid. */
const char *pl_tr(const char *msgid);

#endif
