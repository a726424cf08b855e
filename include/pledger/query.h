/**
 * @file query.h
 * @brief What banks ask: verification by registration number (with the
 *        certificate's verification code), search by right, party, state
 *        and date, rank on a right and statistics; and what the office
 *        asks besides, the due list — now or at any past instant.
 *
 * Point in time.  A pledge is versioned (see pledge.h): every answer here
 * is read from the versions valid at the instant asked about (a version
 * is valid from its @c valid_from, inclusive, to its @c valid_to,
 * exclusive), not by replaying the journal.  #PLEDGER_AS_OF_CURRENT asks
 * for the current versions.
 *
 * Active.  A pledge "in force" at an instant is one whose version valid
 * then is #PLEDGER_PLEDGE_ACTIVE or #PLEDGER_PLEDGE_UNDER_OBJECTION (an
 * objection does not release the right).  Ranks and the figures of
 * "active" pledges count exactly these.
 *
 * Order.  Registrations are totally ordered by their registration instant,
 * ties broken by the registration sequence (the pledge's internal id, given
 * in registration order).  Ranks, comparisons and search results use that
 * order.
 *
 * Privacy.  Resident identity numbers (natural persons) are returned masked
 * — the first 6 and the last 4 characters shown, the others replaced by
 * '*' — unless the handle's role (pledger_set_actor()) is registrar or
 * auditor.  This holds for party identifiers and for right identifiers
 * that embed one (a receivable's names its debtor).  Searching by a full
 * resident number still works; only the answer is masked.
 *
 * No call here writes to the registry: all of them work on a registry
 * opened read-only, also while another process registers (every answer is
 * read within one read transaction, so it is consistent in itself).  None
 * requires a role, except pledger_due_get() (clerk, registrar or auditor).
 */
#ifndef PLEDGER_QUERY_H
#define PLEDGER_QUERY_H

#include <pledger/common.h>
#include <pledger/types.h>
#include <pledger/registry.h>
#include <pledger/pledge.h>

#ifdef __cplusplus
extern "C" {
#endif

/** "As of" value meaning: the current versions (the latest state).  It is
 *  the smallest int64_t, so it is never a real instant. @since 0.1 */
#define PLEDGER_AS_OF_CURRENT (-0x7fffffffffffffffLL - 1)

/* ---- verification ---------------------------------------------------------- */

/** The answer to a verification.  Opaque. @since 0.1 */
typedef struct pledger_verification pledger_verification;

/** What the verification code given to pledger_verify() turned out to
 *  be.  A code that matches no certificate of the pledge never yields an
 *  answer: pledger_verify() fails with #PLEDGER_ECODE.  @since 0.1 */
typedef enum pledger_code_status {
    /** No code was given: the answer says nothing about a certificate. */
    PLEDGER_CODE_NOT_GIVEN = 0,
    /** The code is that of the certificate in force at the instant asked
     *  about (the latest one issued for the pledge by then).  The
     *  certificate is genuine and current — check the state all the same:
     *  a cancelled pledge keeps its last certificate. */
    PLEDGER_CODE_MATCHED = 1,
    /** The code is that of an earlier certificate of this pledge, which a
     *  change or an extension superseded: the document is genuine but out
     *  of date; the answer gives the version in force.  See
     *  pledger_verification_code_version(). */
    PLEDGER_CODE_SUPERSEDED = 2
} pledger_code_status;

/** The version of #pledger_verify_options this header describes. @since 0.1 */
#define PLEDGER_VERIFY_OPTIONS_VERSION 1

/**
 * What to verify besides the registration number.  Initialise with
 * #PLEDGER_VERIFY_OPTIONS_INIT.
 * @since 0.1
 */
typedef struct pledger_verify_options {
    /** Must be #PLEDGER_VERIFY_OPTIONS_VERSION. */
    unsigned version;
    /** The verification code printed on a certificate, or NULL.  Case,
     *  full-width forms, spaces and dashes do not matter:
     *  "abcd efgh jklm npqr" equals "ABCD-EFGH-JKLM-NPQR". */
    const char *code;
    /** The instant to answer for (microseconds since the epoch), no
     *  later than the registry's now (pledger_now()): the registry
     *  answers only for instants that have passed, as a later answer
     *  could still change; or #PLEDGER_AS_OF_CURRENT. */
    int64_t as_of;
} pledger_verify_options;

/** No code, current versions. @since 0.1 */
#define PLEDGER_VERIFY_OPTIONS_INIT \
    { PLEDGER_VERIFY_OPTIONS_VERSION, NULL, PLEDGER_AS_OF_CURRENT }

/**
 * Verify a registration: its version valid at the instant asked about,
 * its rank on each pledged right and, when a code is given, what the code
 * is.  One indexed lookup of the number, its rights and its certificates.
 *
 * @param[out] out    the answer, owned by the caller
 *                    (pledger_verification_free()); NULL on failure.
 * @param[in]  reg    the registry (read-only is fine).
 * @param[in]  number the registration number, as issued or as a person
 *                    types it: letters in either case, white space around
 *                    or inside, full-width forms ("r-fz01-tm-2024-000001"
 *                    finds R-FZ01-TM-2024-000001; a number issued with
 *                    lower-case letters or spaces is also found as issued).
 *                    The answer names the number as issued.
 * @param[in]  opts   options, or NULL for #PLEDGER_VERIFY_OPTIONS_INIT.
 * @return 0;
 *         #PLEDGER_ENOTFOUND when no pledge has that number, or it was
 *         not yet registered at @c opts->as_of;
 *         #PLEDGER_ECODE when a code was given and it is not the code of
 *         any certificate of this pledge issued by that instant (a wrong
 *         code never yields an answer);
 *         #PLEDGER_EINVAL for a bad argument (the message names it),
 *         also an @c opts->as_of later than the registry's now.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_verify(pledger_verification **out, pledger_registry *reg,
                                  const char *number, const pledger_verify_options *opts);

/** Free an answer; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_verification_free(pledger_verification *v);

/**
 * The pledge version the answer is about (the one valid at the instant
 * asked about), as a snapshot like pledger_pledge_get()'s: read its
 * fields with the pledger_pledge_* getters or pledger_pledge_field().
 * Resident identity numbers are masked (see the file's introduction).
 * @param[in] v the answer.
 * @return a snapshot borrowed from @p v, valid until @p v is freed (do not
 *         pass it to pledger_pledge_free()); NULL for a NULL answer.
 * @since 0.2
 */
PLEDGER_EXPORT const pledger_pledge *pledger_verification_pledge(const pledger_verification *v);

/** @name Answer getters
 * What a verification adds to the pledge (pledger_verification_pledge()):
 * the instant, the ranks and what the code was.  The getters of the
 * pledge's own fields here are deprecated: each is the pledger_pledge_*
 * getter of pledger_verification_pledge(), and goes at 1.0.
 * Borrowed strings, valid until the answer is freed; NULL, 0 or -1 for a
 * NULL answer.  Dates are "YYYY-MM-DD"; instants microseconds since the
 * epoch (UTC).  Resident identity numbers are masked (see the file's introduction).
 * @{ */
/** The registration number. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_number(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_number(pledger_verification_pledge())");
/** The right kind. @since 0.1 */
PLEDGER_EXPORT pledger_kind pledger_verification_kind(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_kind(pledger_verification_pledge())");
/** "pledge", or "mortgage" for sea-area and land rights. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_security(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_security(pledger_verification_pledge())");
/** The state at the instant asked about. @since 0.1 */
PLEDGER_EXPORT pledger_pledge_state pledger_verification_state(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_state_of(pledger_verification_pledge())");
/** The version number (1 at registration). @since 0.1 */
PLEDGER_EXPORT int pledger_verification_version(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_version(pledger_verification_pledge())");
/** The registration instant. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_verification_registered_at(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_registered_at(pledger_verification_pledge())");
/** When the version answered from became valid. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_verification_valid_from(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_valid_from(pledger_verification_pledge())");
/** The instant the answer is for (#PLEDGER_AS_OF_CURRENT when current). @since 0.1 */
PLEDGER_EXPORT int64_t pledger_verification_as_of(const pledger_verification *v);
/**
 * The size of the journal's log (pledger_log_size()) in the same read as
 * the answer: the log the answer was read from, the size a search report
 * of it names (pledger_report_request.log_size).  0 for NULL.
 * @since 0.2
 */
PLEDGER_EXPORT uint64_t pledger_verification_log_size(const pledger_verification *v);
/** The pledgor's name. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_pledgor_name(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgor_name(pledger_verification_pledge())");
/** The pledgor's identifier (normalised; masked when a resident number). @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_pledgor_id(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgor_id(pledger_verification_pledge())");
/** The pledgee's name. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_pledgee_name(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgee_name(pledger_verification_pledge())");
/** The pledgee's identifier (normalised; masked when a resident number). @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_pledgee_id(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgee_id(pledger_verification_pledge())");
/** The secured amount in the currency's minor unit (fen for CNY). @since 0.1 */
PLEDGER_EXPORT int64_t pledger_verification_amount(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_amount(pledger_verification_pledge())");
/** The ISO 4217 code of the secured amount. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_currency(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_currency(pledger_verification_pledge())");
/** First day of the registration period. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_period_start(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_period_start(pledger_verification_pledge())");
/** Last day of the registration period. @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_period_end(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_period_end(pledger_verification_pledge())");
/** Number of pledged rights. @since 0.1 */
PLEDGER_EXPORT size_t pledger_verification_right_count(const pledger_verification *v)
    PLEDGER_DEPRECATED("use pledger_pledge_right_count(pledger_verification_pledge())");
/** Normalised identifier of right @p i (0-based), NULL out of range: the
 *  trademark or patent number, the permit or certificate number, for
 *  equity the company's USCC, for a receivable
 *  "<debtor id>/<contract number>" (or "desc:<digest>" when it has no
 *  debtor identifier and contract number). @since 0.1 */
PLEDGER_EXPORT const char *pledger_verification_right_id(const pledger_verification *v,
                                                         size_t i)
    PLEDGER_DEPRECATED("use pledger_pledge_right_id(pledger_verification_pledge())");
/** Rank of this pledge among the pledges in force on right @p i at the
 *  instant (1 = first); 0 when this pledge is not in force then, or @p i
 *  is out of range. @since 0.1 */
PLEDGER_EXPORT int pledger_verification_right_rank(const pledger_verification *v, size_t i);
/** The pledge's rank: the largest of its per-right ranks (1 = first on
 *  every right it pledges); 0 when it is not in force at the instant
 *  (cancelled, revoked, expired). @since 0.1 */
PLEDGER_EXPORT int pledger_verification_rank(const pledger_verification *v);
/** What the verification code was. @since 0.1 */
PLEDGER_EXPORT pledger_code_status pledger_verification_code_status(const pledger_verification *v);
/** The pledge version the matched certificate was issued for; 0 when no
 *  code was given. @since 0.1 */
PLEDGER_EXPORT int pledger_verification_code_version(const pledger_verification *v);
/** When the matched certificate was superseded; 0 unless the status is
 *  #PLEDGER_CODE_SUPERSEDED. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_verification_code_superseded_at(const pledger_verification *v);
/** @} */

/* ---- rank and order -------------------------------------------------------- */

/**
 * The rank of a pledge among the pledges in force on the same right at an
 * instant (1 = registered first); for a pledge of several rights, the
 * largest of its per-right ranks.  Kinds that allow one pledge per right
 * give 1 to a pledge in force.
 * @param[out] out    the rank; 0 when the pledge is not in force at that
 *                    instant (cancelled, revoked, expired).
 * @param[in]  reg    the registry.
 * @param[in]  number the registration number.
 * @param[in]  at_us  the instant, no later than the registry's now
 *                    (pledger_now()), or #PLEDGER_AS_OF_CURRENT.
 * @return 0; #PLEDGER_ENOTFOUND when the number is unknown or the pledge
 *         was not yet registered at @p at_us; #PLEDGER_EINVAL (also for
 *         an @p at_us later than the registry's now).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_rank(int *out, pledger_registry *reg, const char *number,
                                int64_t at_us);

/**
 * Which of two registrations ranks first: the one registered at the
 * earlier instant, and for equal instants the one registered first
 * (registration sequence).  This is the priority between two pledges on
 * the same right; it does not check that they share one.
 * @param[out] out      -1 when @p number_a ranks first, 1 when @p number_b
 *                      does, 0 when both name the same registration.
 * @param[in]  reg      the registry.
 * @param[in]  number_a a registration number.
 * @param[in]  number_b another.
 * @return 0; #PLEDGER_ENOTFOUND (the message names the unknown number);
 *         #PLEDGER_EINVAL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_compare(int *out, pledger_registry *reg, const char *number_a,
                                   const char *number_b);

/* ---- search ---------------------------------------------------------------- */

/** Which party a party criterion applies to. @since 0.1 */
typedef enum pledger_party_side {
    PLEDGER_PARTY_EITHER = 0,  /**< the pledgor or the pledgee */
    PLEDGER_PARTY_PLEDGOR = 1, /**< the pledgor only */
    PLEDGER_PARTY_PLEDGEE = 2  /**< the pledgee only */
} pledger_party_side;

/** How a hit's party name matched a name search. @since 0.1 */
typedef enum pledger_name_match {
    PLEDGER_NAME_MATCH_NONE = 0,    /**< the query had no party name */
    PLEDGER_NAME_MATCH_EXACT = 1,   /**< the name equals the query once both are
                                         folded (full-width forms, white space) */
    PLEDGER_NAME_MATCH_SIMILAR = 2, /**< the names differ but name the same
                                         company (see pledger_query.party_name) */
    /** the hit's party is a branch (分公司, 分行, 支行...) of the company
     *  searched for, found by its head office's name. @since 0.2 */
    PLEDGER_NAME_MATCH_BRANCH = 3
} pledger_name_match;

/** The version of #pledger_query this header describes. @since 0.1 */
#define PLEDGER_QUERY_VERSION 1

/**
 * A search.  Initialise with #PLEDGER_QUERY_INIT and set the criteria you
 * need; every criterion given must hold (they combine with AND).  With no
 * criterion at all, every pledge that exists at @ref as_of is a hit.
 * @since 0.1
 */
typedef struct pledger_query {
    /** Must be #PLEDGER_QUERY_VERSION. */
    unsigned version;
    /** A #pledger_kind, or 0 for every kind.  Required with @ref right_id. */
    int kind;
    /** A pledged right, normalised by kind as it is stored:
     *  - trademark: registration number ("G" + digits for Madrid);
     *  - patent: application number ("ZL"/"CN" prefix, spaces, dot optional);
     *  - emission: permit number; sea_area, land: certificate number;
     *  - equity: "<company USCC>" (every pledge of the company's equity) or
     *    "<company USCC>/<pledgor id>";
     *  - receivable: "<debtor id>" (every pledged receivable of which it
     *    is a debtor, whatever the other debtors and their order),
     *    "<debtor id>/<contract number>" (those with that contract number,
     *    its dashes folded: "－", "–", "−" ... are "-"), or
     *    "desc:<64 hex digits>".  A receivable's identifier (its key)
     *    names the debtor whose identifier sorts first.
     *  Taken as typed: full-width forms (U+FF01..U+FF5E, so "／" and
     *  "－" too) and the ideographic space are read as their ASCII
     *  forms first, white space around it is dropped.  NULL: any right. */
    const char *right_id;
    /** A party identifier (USCC, resident identity number, passport or
     *  foreign registration number), matched exactly after normalisation;
     *  NULL: any.  An 18-character value must be a valid USCC or resident
     *  number. */
    const char *party_id;
    /** A party name; hits are pledges with a party of that name however
     *  it is written, each marked exact, similar or branch
     *  (pledger_cursor_name_match()).  NULL: any.
     *
     *  Exact: the names are equal once both are folded (full-width forms
     *  to half-width, white space to single spaces).
     *
     *  Similar: the names have the same name key -- full-width forms and
     *  white space folded, ASCII lower-cased, punctuation (ASCII, CJK and
     *  full-width) and spaces removed, then one trailing legal-form
     *  ending (股份有限公司, 有限责任公司, 集团有限公司, 有限公司, 公司,
     *  Company Limited, Corporation, Co. Ltd., Corp., Company, Limited,
     *  Ltd., Inc., LLC, PLC, GmbH, AG, SA) -- or the same similar-name
     *  key, which goes further: traditional characters are made
     *  simplified (閩江 = 闽江; a built-in table of the characters used in
     *  company names); brackets holding a place, 中国 or 集团 go with what
     *  they hold ("闽江食品（福建）有限公司"); the legal form and then 集团
     *  go from the end, also 股份公司; up to three places go from the
     *  front -- a province with or without 省/市/自治区 (福建省, 福建,
     *  also in pinyin: "Fujian"), a prefecture-level city with or without
     *  市 (福州市, 福州), or any two characters followed by 市, 县 or 区 --
     *  as long as 3 characters remain (so "中山食品有限公司" keeps 中山).
     *  A name whose similar-name key has 4 or more characters also finds
     *  the names whose key ends in it after 2 or 3 more Chinese
     *  characters (a place not in the list: "晋江闽江食品有限公司" for
     *  "闽江食品有限公司").  So "福建省闽江食品有限公司" finds
     *  "福建闽江食品有限公司", "闽江食品有限责任公司", "福州市閩江食品股份有限公司"
     *  and "闽江食品（福建）有限公司"; "ACME Co., Ltd." finds "acme inc".
     *
     *  Branch: the hit's party is a branch of the company -- its name ends
     *  in 分公司, 分厂, 分店, 分行, 支行, 分部, 营业部, 办事处, 分所 or
     *  "branch", and its head office's name (what comes before, up to the
     *  last 公司; without one, less the place before the suffix) has the
     *  same similar-name key: "福建省闽江食品有限公司福州分公司" and
     *  "闽江食品有限公司（福州）分公司" for "福建省闽江食品有限公司".  A
     *  branch's name searched for finds its head office and the other
     *  branches as similar.
     *
     *  Registered English names (@since 0.2): when the reference
     *  register (pledger_register_import()) gives an owner or a
     *  shareholder its registered English name (attribute name_en), a
     *  name with a Latin letter also finds, as similar, the pledges whose
     *  party has that owner's identifier (and identifier type), however
     *  the pledge writes the party's name, when the two English names
     *  have the same English key: full-width forms folded, ASCII
     *  lower-cased, the legal-form words at the end taken off as whole
     *  words (Co., Ltd., Limited, Corp., Corporation, Inc., Company,
     *  Group, LLC, PLC), then the similar-name key of the rest
     *  (punctuation and spaces go, a province in front goes, also in
     *  pinyin).  So "FUJIAN MINJIANG FOOD CO LTD", "Minjiang Food Company
     *  Limited" and "Fujian Minjiang Food Co." find the pledges of
     *  福建闽江食品有限公司 when the register gives it "Fujian Minjiang
     *  Food Co., Ltd."; another company's English name finds none of
     *  them.  A party whose name equals the query stays exact.
     *
     *  Similar and branch hits are found through indexes of the
     *  similar-name keys (equal keys, and keys less their first 2 or 3
     *  characters) and of the register's English keys, not by reading
     *  every pledge.  A name with nothing left once spaces and
     *  punctuation are removed is refused. */
    const char *party_name;
    /** A #pledger_party_side: which party @ref party_id and @ref party_name
     *  apply to (both to the same party). */
    int party_side;
    /** A #pledger_pledge_state the pledge is in at @ref as_of, or 0 for any. */
    int state;
    /** Registered on or after this day ("YYYY-MM-DD", the registry's local
     *  calendar day), or NULL.  Dates are taken as typed: full-width
     *  digits and dashes, white space around them, "YYYYMMDD"; years 0001
     *  to 9999 (as the dates of pledger_stats_query). */
    const char *registered_from;
    /** Registered on or before this day, or NULL. */
    const char *registered_to;
    /** The instant to answer for, no later than the registry's now
     *  (pledger_now(): the registry answers only for instants that have
     *  passed), or #PLEDGER_AS_OF_CURRENT.  Pledges registered after it
     *  are not hits; the others are read from their versions valid then. */
    int64_t as_of;
    /** Hits per page: 1 to 10000, or 0 for 100. */
    int page_size;
    /** NULL for the first page; else the token of the previous page
     *  (pledger_cursor_continuation()) to resume right after its last hit. */
    const char *after;
} pledger_query;

/** No criterion, current versions, pages of 100. @since 0.1 */
#define PLEDGER_QUERY_INIT                                                      \
    { PLEDGER_QUERY_VERSION, 0, NULL, NULL, NULL, 0, 0, NULL, NULL,             \
      PLEDGER_AS_OF_CURRENT, 0, NULL }

/** One page of search results.  Opaque. @since 0.1 */
typedef struct pledger_cursor pledger_cursor;

/**
 * Search.  Hits come in registration order (registration instant, then
 * registration sequence), one page at a time: the cursor holds up to
 * @c page_size hits, read in one read transaction, and a continuation
 * token when more follow.  Passing the token back in @c query->after (with
 * the same criteria) gives the next page, starting right after the last
 * hit — also when pledges were registered in between (they come later in
 * the order).  For pages that are consistent with each other while the
 * registry changes, give an @c as_of instant.
 *
 * @param[out] out   the page, owned by the caller (pledger_cursor_free());
 *                   NULL on failure.
 * @param[in]  reg   the registry.
 * @param[in]  query the criteria.
 * @return 0 (also when nothing matches); #PLEDGER_EINVAL naming the field
 *         (e.g. "query->right_id") for an unknown kind or state, a
 *         malformed identifier or token, an inverted date range, a
 *         negative page size, a right without a kind, an @c as_of
 *         later than the registry's now.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_search(pledger_cursor **out, pledger_registry *reg,
                                  const pledger_query *query);

/**
 * Move to the next hit of the page (the first, after pledger_search()).
 * @param[in] cur the cursor.
 * @return 1 when the cursor is on a hit, 0 at the end of the page,
 *         #PLEDGER_EINVAL when @p cur is NULL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_cursor_next(pledger_cursor *cur);

/** Number of hits in the page. @since 0.1 */
PLEDGER_EXPORT size_t pledger_cursor_count(const pledger_cursor *cur);

/**
 * The token that resumes the search after the last hit of this page.
 * @return a borrowed string (valid until the cursor is freed), or NULL
 *         when this page holds the last hits.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_cursor_continuation(const pledger_cursor *cur);

/**
 * The size of the journal's log in the same read as this page of hits
 * (see pledger_verification_log_size()).  0 for NULL.
 * @since 0.2
 */
PLEDGER_EXPORT uint64_t pledger_cursor_log_size(const pledger_cursor *cur);

/** Free a cursor; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_cursor_free(pledger_cursor *cur);

/**
 * The pledge of the current hit: its version valid at the query's instant,
 * as a snapshot like pledger_pledge_get()'s (every field, the rights and
 * the history included): read it with the pledger_pledge_* getters or
 * pledger_pledge_field().  Resident identity numbers masked (see the
 * file's introduction).
 * @param[in] cur the cursor.
 * @return a snapshot borrowed from @p cur, valid until the next
 *         pledger_cursor_next() or pledger_cursor_free() (do not pass it
 *         to pledger_pledge_free()); NULL when the cursor is not on a hit.
 * @since 0.2
 */
PLEDGER_EXPORT const pledger_pledge *pledger_cursor_pledge(const pledger_cursor *cur);

/** @name The current hit
 * How the hit matched; the getters of the pledge's own fields here are
 * deprecated: each is the pledger_pledge_* getter of
 * pledger_cursor_pledge(), and goes at 1.0.  Read from the version valid
 * at the query's instant.  Borrowed strings, valid until the cursor is
 * freed; NULL or 0 when the cursor is not on a hit.  Resident identity
 * numbers masked (see the file's introduction).
 * @{ */
/** The registration number. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_number(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_number(pledger_cursor_pledge())");
/** The right kind. @since 0.1 */
PLEDGER_EXPORT pledger_kind pledger_cursor_kind(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_kind(pledger_cursor_pledge())");
/** The state. @since 0.1 */
PLEDGER_EXPORT pledger_pledge_state pledger_cursor_state(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_state_of(pledger_cursor_pledge())");
/** The version number. @since 0.1 */
PLEDGER_EXPORT int pledger_cursor_version(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_version(pledger_cursor_pledge())");
/** The registration instant. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_cursor_registered_at(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_registered_at(pledger_cursor_pledge())");
/** The pledgor's name. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_pledgor_name(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgor_name(pledger_cursor_pledge())");
/** The pledgor's identifier. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_pledgor_id(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgor_id(pledger_cursor_pledge())");
/** The pledgee's name. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_pledgee_name(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgee_name(pledger_cursor_pledge())");
/** The pledgee's identifier. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_pledgee_id(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_pledgee_id(pledger_cursor_pledge())");
/** The secured amount (minor units). @since 0.1 */
PLEDGER_EXPORT int64_t pledger_cursor_amount(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_amount(pledger_cursor_pledge())");
/** The currency. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_currency(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_currency(pledger_cursor_pledge())");
/** First day of the registration period. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_period_start(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_period_start(pledger_cursor_pledge())");
/** Last day of the registration period. @since 0.1 */
PLEDGER_EXPORT const char *pledger_cursor_period_end(const pledger_cursor *cur)
    PLEDGER_DEPRECATED("use pledger_pledge_period_end(pledger_cursor_pledge())");
/** How the party name matched (#PLEDGER_NAME_MATCH_NONE without a name
 *  criterion). @since 0.1 */
PLEDGER_EXPORT pledger_name_match pledger_cursor_name_match(const pledger_cursor *cur);
/** @} */

/* ---- the due list ---------------------------------------------------------- */

/**
 * What is due.  Limits (docs/domain.md §4.9), working days counted with the
 * registry's calendar (pledger_calendar_load(); weekends alone without
 * one), from the calendar day of the event in the registry's time zone:
 * @since 0.1
 */
typedef enum pledger_due_what {
    /** "acceptance": a submitted application awaits the acceptance point's
     *  decision, due 2 working days after the day of submission. */
    PLEDGER_DUE_ACCEPTANCE = 1,
    /** "registration": an accepted (or corrected) application awaits the
     *  registry's decision, due 2 working days after the day it was
     *  accepted for trademarks and for patents filed online, 5 otherwise. */
    PLEDGER_DUE_REGISTRATION = 2,
    /** "correction": the applicant's 30-day correction window closes at
     *  the end of the due day; after it the application is deemed
     *  withdrawn. */
    PLEDGER_DUE_CORRECTION = 3,
    /** "expiry": the registration period of a pledge in force ends at the
     *  end of the due day. */
    PLEDGER_DUE_EXPIRY = 4,
    /** "objection": an objection without litigation lapses at the end of
     *  the due day (30 days after it was registered). */
    PLEDGER_DUE_OBJECTION = 5
} pledger_due_what;

/** The version of #pledger_due_options this header describes. @since 0.1 */
#define PLEDGER_DUE_OPTIONS_VERSION 1

/**
 * Which due list.  Initialise with #PLEDGER_DUE_OPTIONS_INIT.
 * @since 0.1
 */
typedef struct pledger_due_options {
    /** Must be #PLEDGER_DUE_OPTIONS_VERSION. */
    unsigned version;
    /** The instant whose calendar day is "today", or #PLEDGER_AS_OF_CURRENT
     *  for the registry's now (pledger_now()). */
    int64_t at;
    /** List what falls due within this many calendar days after today
     *  (0 to 3650); everything already overdue is listed too. */
    int within_days;
} pledger_due_options;

/** Now, within 30 days. @since 0.1 */
#define PLEDGER_DUE_OPTIONS_INIT { PLEDGER_DUE_OPTIONS_VERSION, PLEDGER_AS_OF_CURRENT, 30 }

/** A due list.  Opaque. @since 0.1 */
typedef struct pledger_due pledger_due;

/**
 * The due list at an instant: every item whose due day is at most
 * @c within_days after today, overdue ones included (negative days left),
 * ordered by due day, then what, then subject.  Pledges are read from
 * their versions valid at @c at; applications (which keep no versions)
 * from their stored state, counting only the events that happened by
 * @c at.  Role: clerk, registrar or auditor.
 * @param[out] out  the list, owned by the caller (pledger_due_free()).
 * @param[in]  reg  the registry.
 * @param[in]  opts options, or NULL for #PLEDGER_DUE_OPTIONS_INIT.
 * @return 0, #PLEDGER_EPERM, #PLEDGER_EINVAL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_due_get(pledger_due **out, pledger_registry *reg,
                                   const pledger_due_options *opts);

/** Free a due list; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_due_free(pledger_due *due);

/** Number of items. @since 0.1 */
PLEDGER_EXPORT size_t pledger_due_count(const pledger_due *due);
/** The day the list is for, "YYYY-MM-DD": the day of its @c at in the
 *  registry's time zone, from which every item's days left are counted;
 *  NULL for NULL. @since 0.2 */
PLEDGER_EXPORT const char *pledger_due_today(const pledger_due *due);
/** What item @p i is; 0 out of range. @since 0.1 */
PLEDGER_EXPORT pledger_due_what pledger_due_what_of(const pledger_due *due, size_t i);
/** Its subject: the application's UUID (acceptance, registration,
 *  correction) or the registration number (expiry, objection); NULL out
 *  of range. @since 0.1 */
PLEDGER_EXPORT const char *pledger_due_subject(const pledger_due *due, size_t i);
/** The right kind of the subject; 0 out of range. @since 0.1 */
PLEDGER_EXPORT pledger_kind pledger_due_kind(const pledger_due *due, size_t i);
/** The due day, "YYYY-MM-DD" (the last day allowed); NULL out of range. @since 0.1 */
PLEDGER_EXPORT const char *pledger_due_date(const pledger_due *due, size_t i);
/** Calendar days from today to the due day: 0 due today, negative overdue
 *  (the true count, however far: about -3.65 million for a list at the
 *  year 9999); 0 out of range. @since 0.1 */
PLEDGER_EXPORT int pledger_due_days_left(const pledger_due *due, size_t i);
/** "acceptance", "registration", "correction", "expiry", "objection";
 *  NULL for another value. @since 0.1 */
PLEDGER_EXPORT const char *pledger_due_what_name(pledger_due_what what);

/* ---- statistics ------------------------------------------------------------ */

/** The version of #pledger_stats_query this header describes. @since 0.1 */
#define PLEDGER_STATS_QUERY_VERSION 1

/**
 * Which statistics.  Initialise with #PLEDGER_STATS_QUERY_INIT; @ref from
 * and @ref to are required.
 * @since 0.1
 */
typedef struct pledger_stats_query {
    /** Must be #PLEDGER_STATS_QUERY_VERSION. */
    unsigned version;
    /** First day of the period, "YYYY-MM-DD" (registry's calendar day),
     *  taken as typed as pledger_query.registered_from is. */
    const char *from;
    /** Last day of the period, inclusive; not before @ref from. */
    const char *to;
    /** A #pledger_kind, or 0 for all. */
    int kind;
    /** Only pledges registered by this office (its code), or NULL for all. */
    const char *office;
} pledger_stats_query;

/** All kinds and offices; the period must still be set. @since 0.1 */
#define PLEDGER_STATS_QUERY_INIT { PLEDGER_STATS_QUERY_VERSION, NULL, NULL, 0, NULL }

/** Statistics of a period.  Opaque. @since 0.1 */
typedef struct pledger_stats pledger_stats;

/**
 * The figures of a period [from, to] (whole days), for one kind and one
 * office or all: registrations and cancellations in the period, pledges in
 * force at its end (the last microsecond of @c to), and per currency the
 * secured amounts registered in the period (as registered, version 1) and
 * in force at its end (as they stand then).  Sums are exact integers in
 * minor units, per currency, never converted.
 * @param[out] out the statistics, owned by the caller (pledger_stats_free()).
 * @param[in]  reg the registry.
 * @param[in]  q   the period and filters.
 * @return 0, #PLEDGER_EINVAL (the message names the field).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_stats_get(pledger_stats **out, pledger_registry *reg,
                                     const pledger_stats_query *q);

/** Free statistics; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_stats_free(pledger_stats *s);
/** Pledges registered in the period. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_stats_registrations(const pledger_stats *s);
/** Pledges cancelled in the period (by a cancellation, not revocation or
 *  expiry). @since 0.1 */
PLEDGER_EXPORT int64_t pledger_stats_cancellations(const pledger_stats *s);
/** Pledges in force at the end of the period. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_stats_active(const pledger_stats *s);
/** Number of currencies in the sums (sorted by code). @since 0.1 */
PLEDGER_EXPORT size_t pledger_stats_currency_count(const pledger_stats *s);
/** Currency @p i, NULL out of range. @since 0.1 */
PLEDGER_EXPORT const char *pledger_stats_currency(const pledger_stats *s, size_t i);
/** Total secured amount registered in the period in currency @p i;
 *  -1 when the exact total does not fit in an int64_t (or @p i is out of
 *  range). @since 0.1 */
PLEDGER_EXPORT int64_t pledger_stats_amount_registered(const pledger_stats *s, size_t i);
/** Total secured amount in force at the end of the period in currency
 *  @p i; -1 on overflow or out of range. @since 0.1 */
PLEDGER_EXPORT int64_t pledger_stats_amount_active(const pledger_stats *s, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_QUERY_H */
