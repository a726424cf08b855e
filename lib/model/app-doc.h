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

/* The enumerated fields of an application (app-enum.c). */
typedef enum pl_enum {
    PL_ENUM_PARTY_TYPE,    /* a party's @type: organisation, person, foreign */
    PL_ENUM_ID_TYPE,       /* id/@type: uscc, resident, passport, foreign_reg */
    PL_ENUM_PATENT_TYPE,   /* patent_type: invention, utility_model, design */
    PL_ENUM_CLAIM_TYPE,    /* claim/type: loan, credit_line, guarantee, other */
    PL_ENUM_CLAUSES,       /* contract/clauses: a list of parties, addresses, ... */
    PL_ENUM_MATERIAL_KIND, /* material/@kind */
    PL_ENUM_RISK_CODE      /* risk/@code */
} pl_enum;

/* @s (an enumerated field's text) as the schema has it: the value itself
 * or one of its Chinese terms ("发明", "实用新型专利", the list in
 * app-enum.c), in full-width forms, any case, '-' or ' ' for '_', white
 * space around; a list (the clauses) separated by spaces, ',', ';', '、'
 * and written back separated by one space.  Malloc'd, NULL when out of
 * memory; *@ok false when a value matches none (then the text returned is
 * @s, or the list with what did not match left as it was). */
char *pl_doc_fold_enum(const char *s, pl_enum which, bool *ok);

/* "invention (发明), utility_model (实用新型), design (外观设计)": the values
 * of @which in both forms, for a refusal; malloc'd, NULL out of memory. */
char *pl_doc_enum_choices(pl_enum which);

/* Validate the application @doc against the schema, its typed fields
 * folded (pl_doc_fold_value; @doc itself is not changed).  A typed field
 * still wrong once folded is PLEDGER_EXML "@what: line N: path: '...' is
 * not a date: type it as YYYY-MM-DD, ..." (what to type, per type): the
 * dates, amounts, sizes, quantities, classes, the flags (filing/online,
 * filing/joint, @consent) and @currency.  An enumerated field (pl_enum)
 * is read folded too (pl_doc_fold_enum: "发明" is invention); one no value
 * matches is PLEDGER_EXML "@what: line N: path: '...' is not one of
 * invention (发明), ...".  A text or an attribute holding
 * a control character is refused first (PLEDGER_EXML, "... U+001B at
 * character 4 ..."). */
int pl_doc_validate(pl_err *e, xmlDocPtr doc, const char *what);

/* pl_doc_validate() of a document another registry filed and sends
 * (pl_doc_parse_received): its control characters are not refused --
 * filed there before the rule, one would stop the exchange line at every
 * batch; an edit made here checks them (pl_doc_set). */
int pl_doc_validate_received(pl_err *e, xmlDocPtr doc, const char *what);

/* Whether the application's text field @name (an element's name) is a
 * multi-line free text that may hold a tab, a line feed and CRLF
 * (description, goods, guarantee_scope); every other text is one line.
 * No text of an application holds another control character
 * (pl_text_control): pl_doc_validate() refuses it, naming the field. */
bool pl_doc_multi_line(const char *name);

/* Index of @name in @names[1..n-1], 0 when absent. */
int pl_name_index(const char *const *names, int n, const char *name);

#endif
