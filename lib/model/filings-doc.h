/* A bulk filing as one document: <filings xmlns="urn:pledger:1"> whose
 * children are <application> documents (what pledgerd's POST
 * /v1/filings reads, pledger_filings_from_xml() behind it).  The
 * envelope is read as every document of the library is (model/xml.h:
 * UTF-8 whatever it declares, no DTD, no network, limits), each
 * application as pl_doc_parse() reads one. */
#ifndef PL_MODEL_FILINGS_DOC_H
#define PL_MODEL_FILINGS_DOC_H

#include <stddef.h>

#include "base/error.h"
#include "model/application.h"

/* The largest envelope read, and its libxml2 items (elements,
 * attributes, texts): a receivable's application is 2-5 KB and 60-150
 * items. */
#define PL_FILINGS_MAX_SIZE ((size_t)256 * 1024 * 1024)
#define PL_FILINGS_MAX_NODES ((size_t)16 * 1000 * 1000)

/* Read the envelope @xml (@len bytes) into *@docs, an array of *@n
 * documents (1 to @max), to be freed with pl_filings_free(); nothing on
 * failure.  PLEDGER_EXML for XML that does not read ("filings: line N:
 * ..."); PLEDGER_EINVAL for a document that is not a bulk filing; an
 * application refused is named "filings/application[i]: application:
 * line N: ..." with i counted from 1 and N the envelope's line. */
int pl_filings_parse(pl_err *e, const char *xml, size_t len, size_t max, pl_doc ***docs,
                     size_t *n);

void pl_filings_free(pl_doc **docs, size_t n);

#endif
