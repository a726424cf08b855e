/* What the pledge steps share: the version row in a payload, the
 * certificate (document + verification code), the receivables'
 * modification code, and the steps' transaction helpers. */
#ifndef PL_WORKFLOW_PLEDGE_COMMON_H
#define PL_WORKFLOW_PLEDGE_COMMON_H

#include <stdbool.h>

#include "base/json.h"
#include "store/pledge-row.h"
#include "workflow/flow.h"

#define PL_CODE_LEN 19 /* "XXXX-XXXX-XXXX-XXXX" */

/* The "v" member of a payload: the full new version row. */
void pl_wf_json_version(pl_json *j, const pl_pver *v);

/* The "certificate" member: a new certificate for version v->version,
 * issued at @issued_at, with a fresh verification code. */
int pl_wf_json_certificate(const pl_ctx *c, pl_json *j, const pl_pver *v, int64_t issued_at);

/* The certificate document of version @v; @status its `status` element
 * ("current", "superseded", "cancelled", "revoked", "expired"). */
int pl_wf_certificate_xml(pl_err *e, const pl_pver *v, int64_t issued_at, const char *code,
                          const char *status, char **out);

/* A code (a verification code, a modification code) as a person types
 * it -- either case, with or without the dashes, white space, full-width
 * forms -- in the form the registry issues, XXXX-XXXX-XXXX-XXXX, into
 * @out.  PLEDGER_EINVAL (a message in @e, which may be NULL) when it is
 * not 16 letters and digits. */
int pl_wf_code_normalize(pl_err *e, const char *in, char out[PL_CODE_LEN + 1]);

/* A random code of 16 characters from the USCC alphabet in 4 groups. */
int pl_wf_random_code(pl_err *e, char out[PL_CODE_LEN + 1]);

/* A new modification code with its salt and salted SHA-256 (hex). */
int pl_wf_modcode_new(pl_err *e, char code[PL_CODE_LEN + 1], char salt[33], char hash[65]);
/* Does @code (as typed: pl_wf_code_normalize) match the stored salt and
 * hash?  Constant time. */
bool pl_wf_modcode_matches(const char *code, const char *salt, const char *hash);

#endif
