/* What the files of the application document share (application.c the
 * handle, app-path.c the field paths, app-extract.c the extraction): the
 * handle's insides and the checks every change of the document makes. */
#ifndef PL_MODEL_APP_DOC_H
#define PL_MODEL_APP_DOC_H

#include <stdbool.h>

#include <libxml/tree.h>
#include <pledger/types.h>

#include "base/error.h"
#include "model/application.h"

struct pl_doc {
    xmlDocPtr doc;
    pledger_kind kind;
    char *scratch; /* the last pl_doc_get result */
};

/* The root element <application>. */
xmlNodePtr pl_doc_root(const pl_doc *d);

/* Whether @n is the document's <rights> (a child of the root). */
bool pl_doc_is_rights(xmlNodePtr n);

/* Every child of <rights> must be named after @kind: PLEDGER_EXML naming
 * the line and the path of the first that is not ("@what: ..."). */
int pl_doc_check_rights(pl_err *e, xmlDocPtr doc, pledger_kind kind, const char *what);

/* The direct text children of @n (an element or an attribute),
 * concatenated; malloc'd ("" when none), NULL out of memory. */
char *pl_doc_direct_text(xmlNodePtr n);

/* The text of attribute @name of @n; NULL when absent or out of memory. */
char *pl_doc_attr_text(xmlNodePtr n, const char *name);

/* How a typed field is folded (pl_doc_fold_value). */
typedef enum pl_fold {
    PL_FOLD_VALUE,   /* a date, an amount, a size, a quantity */
    PL_FOLD_CLASSES, /* the Nice classes */
    PL_FOLD_CODE,    /* a currency code: then ASCII upper case ("cny") */
    PL_FOLD_FLAG     /* true/false: then ASCII lower case ("TRUE") */
} pl_fold;

/* @s (a typed field's text) folded as a Chinese counter types it:
 * full-width forms U+FF01..U+FF5E to ASCII ("２０２４－０３－０１"), every
 * dash to '-', every white space (the ideographic space) to ' '; for the
 * classes also "第", "类", "類", "、", ',' and ';' to ' ' ("第29类、第30类");
 * for a value, a date written "2024年3月1日" to "2024-03-01".  Malloc'd,
 * NULL when out of memory.  The document keeps what was typed; every
 * reader of a typed field reads it through this (app-typed.c). */
char *pl_doc_fold_value(const char *s, pl_fold how);

/* Validate the application @doc against the schema, its typed fields
 * folded (pl_doc_fold_value; @doc itself is not changed).  A typed field
 * still wrong once folded is PLEDGER_EXML "@what: line N: path: '...' is
 * not a date: type it as YYYY-MM-DD, ..." (what to type, per type): the
 * dates, amounts, sizes, quantities, classes, the flags (filing/online,
 * filing/joint, @consent) and @currency.  A text or an attribute holding
 * a control character is refused first (PLEDGER_EXML, "... U+001B at
 * character 4 ..."). */
int pl_doc_validate(pl_err *e, xmlDocPtr doc, const char *what);

/* Whether the application's text field @name (an element's name) is a
 * multi-line free text that may hold a tab, a line feed and CRLF
 * (description, goods, guarantee_scope); every other text is one line.
 * No text of an application holds another control character
 * (pl_text_control): pl_doc_validate() refuses it, naming the field. */
bool pl_doc_multi_line(const char *name);

/* Index of @name in @names[1..n-1], 0 when absent. */
int pl_name_index(const char *const *names, int n, const char *name);

#endif
