/* The body of a bulk filing (POST /v1/filings): the applications of one
 * batch in an envelope,
 *
 *     <filings xmlns="urn:pledger:1">
 *       <application kind="receivable" version="1">…</application>
 *       …
 *     </filings>
 *
 * each <application> exactly the document POST /v1/applications takes.
 * The envelope is read with libxml2 (no DTD, no network); each application
 * is then read by the library itself (pledger_application_from_xml()). */
#ifndef PLEDGERD_FILINGS_H
#define PLEDGERD_FILINGS_H

#include <pledger/pledger.h>
#include <stddef.h>

/* The most applications one request files (the library's own limit). */
#define FILINGS_MAX 100000

/* The applications of @len bytes of @body: 0 with *@apps (malloc'd, @n
 * handles; filings_free() them), or a library code with @msg naming the
 * place ("filings/application[3]: …"). */
int filings_parse(const char *body, size_t len, pledger_application ***apps, size_t *n,
                  char *msg, size_t msg_size);
void filings_free(pledger_application **apps, size_t n);

#endif
