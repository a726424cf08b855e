/**
 * @file review.h
 * @brief The preliminary review: its rules, and a check of a document
 *        that stores nothing.
 *
 * The review runs every rule of the application's kind against the
 * document, the reference register of the underlying rights
 * (pledger_register_import()) and what the registry already holds, and
 * reports every finding at once, never stopping at the first (the
 * domain notes, docs/domain.md §4).  A finding has a stable code, a
 * severity, the short path of the field it is about, an English message
 * and a legal-basis note; read them with the `pledger_review_*` getters of
 * <pledger/application.h>.  The same document against the same registry
 * gives the same findings in the same order: the rules run in the order of
 * the table below, and each reports in document order.
 *
 * The rules form one table, readable here so that forms and
 * documentation can list every code with its severity, the kinds it
 * applies to, its meaning and its legal basis.  Codes are stable: a code,
 * once released, keeps its meaning; new rules may be added.
 *
 * Severities: #PLEDGER_SEVERITY_BLOCKING (the application cannot be
 * registered as it is) and #PLEDGER_SEVERITY_CORRECTABLE (to be cured
 * before submission) stop pledger_application_submit();
 * #PLEDGER_SEVERITY_RISK and #PLEDGER_SEVERITY_NOTICE do not.  A risk the
 * parties may acknowledge in writing (a pending invalidation request, a
 * same-day invention/utility-model pair) is correctable until they do --
 * the risk declared in `acknowledgements/risk` and their signed
 * acknowledgement attached as a material of kind `risk_acknowledgement` --
 * and is then reported by another rule as a risk, recorded with the
 * review.  Every message is an English sentence ending with a full stop.
 *
 * A rule judges whatever its own inputs allow, whatever else in the
 * document is wrong: two independent defects give two findings in the
 * same review.
 */
#ifndef PLEDGER_REVIEW_H
#define PLEDGER_REVIEW_H

#include <pledger/common.h>
#include <pledger/types.h>
#include <pledger/registry.h>
#include <pledger/application.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The bit of @p kind in the set pledger_review_rule_kinds() returns.
 * @since 0.1
 */
#define PLEDGER_KIND_BIT(kind) (1u << (unsigned)(kind))

/**
 * The number of review rules.
 * @return the count; the rules are numbered 0 to count - 1 in the order
 *         the review runs them.
 * @since 0.1
 */
PLEDGER_EXPORT size_t pledger_review_rule_count(void);

/**
 * The stable code of rule @p i, such as "TM_BUNDLE_MISSING" (the code its
 * findings carry).
 * @param[in] i 0 to pledger_review_rule_count() - 1.
 * @return a static string, or NULL when @p i is out of range.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_review_rule_code(size_t i);

/**
 * The severity of the findings of rule @p i.
 * @param[in] i 0 to pledger_review_rule_count() - 1.
 * @return the severity, or 0 when @p i is out of range.
 * @since 0.1
 */
PLEDGER_EXPORT pledger_severity pledger_review_rule_severity(size_t i);

/**
 * The kinds rule @p i applies to, as a set of PLEDGER_KIND_BIT() bits:
 * `pledger_review_rule_kinds(i) & PLEDGER_KIND_BIT(PLEDGER_KIND_PATENT)`
 * is non-zero when it applies to patents.
 * @param[in] i 0 to pledger_review_rule_count() - 1.
 * @return the set, or 0 when @p i is out of range.
 * @since 0.1
 */
PLEDGER_EXPORT unsigned pledger_review_rule_kinds(size_t i);

/**
 * What rule @p i checks, in one English sentence.
 * @param[in] i 0 to pledger_review_rule_count() - 1.
 * @return a static string, or NULL when @p i is out of range.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_review_rule_meaning(size_t i);

/**
 * The legal basis of rule @p i, short (the note its findings carry).
 * @param[in] i 0 to pledger_review_rule_count() - 1.
 * @return a static string, or NULL when @p i is out of range.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_review_rule_basis(size_t i);

/**
 * The number of the rule whose code is @p code.
 * @param[out] out  the rule's number; unchanged on failure.
 * @param[in]  code a code, e.g. "PT_FEE_UNPAID".
 * @return 0, #PLEDGER_ENOTFOUND (no rule has that code) or
 *         #PLEDGER_EINVAL (@p out or @p code NULL); the message is the
 *         calling thread's pledger_errmsg(NULL).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_review_rule_find(size_t *out, const char *code);

/**
 * Review a document without storing anything: the online form's check
 * before the applicant saves.  The same rules and the same registry data
 * as pledger_application_review(), read in one snapshot; no transaction
 * is written, no journal event is appended, and no role is needed (a
 * registry opened read-only will do).  When @p app was saved to or loaded
 * from @p reg, its own stored application is not counted as another
 * pending application on the same rights.  "Today" is the registry's
 * clock (pledger_set_clock()).  The messages show resident identity
 * numbers in full to a clerk, a registrar and an auditor, masked (first 6
 * and last 4 characters) to everyone else.
 * @param[out] out the findings, owned by the caller (pledger_review_free());
 *                 NULL on failure.
 * @param[in]  reg the registry.
 * @param[in]  app the document; not changed.
 * @return 0 (whatever was found), #PLEDGER_EINVAL (an argument is NULL),
 *         #PLEDGER_EBUSY, #PLEDGER_ENOMEM or another code of the store; the
 *         message is on the handle (pledger_errmsg()).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_check(pledger_review **out, pledger_registry *reg,
                                             pledger_application *app);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_REVIEW_H */
