/* A translation catalogue read from its compiled file (GNU .mo format),
 * for a language chosen per thread (pledger_set_thread_language): glibc's
 * gettext takes its language from the process (LANGUAGE and the locale),
 * one language for every thread, while a service answers each request in
 * its client's language.  The process's language stays gettext's own
 * (i18n.c); this reads the same files. */
#ifndef PL_BASE_CATALOG_H
#define PL_BASE_CATALOG_H

#include <stddef.h>

typedef struct pl_catalog pl_catalog;

/* The catalogue of domain @domain for language @lang ("zh_CN") under
 * @dir (dir/lang/LC_MESSAGES/domain.mo), loaded once and kept for the
 * life of the process; NULL when there is none or it is not a valid
 * catalogue (then the caller speaks English). */
const pl_catalog *pl_catalog_get(const char *dir, const char *domain, const char *lang);

/* The translation of @msgid in @cat, or NULL when it has none. */
const char *pl_catalog_find(const pl_catalog *cat, const char *msgid);

/* A catalogue made from the bytes of a .mo file (copied); NULL when they
 * are not one (out of bounds, truncated, another format).  Freed with
 * pl_catalog_free(): for tests and the fuzzer. */
pl_catalog *pl_catalog_parse(const void *data, size_t size);
void pl_catalog_free(pl_catalog *cat);

#endif
