/**
 * @file report.h
 * @brief Search reports: a numbered, signed record of each answer given
 *        to a bank, and the auditor's list of who asked about a party.
 *
 * A registry that answers banks (a service, a counter) records each
 * search and each verification as a report: who asked and in what role,
 * when, the question, the registration numbers the answer named (none is
 * an answer too), and the log size and root it was read at.  The bank
 * keeps the report as evidence of what the registry told it: its text,
 * an empty line, and the proof that the text is in the registry's log of
 * reports (C2SP tlog-proof: the index, the Merkle inclusion proof, the
 * signed checkpoint of that log):
 *
 *     <log origin> search report <number>
 *     issued <instant, UTC>
 *     by <actor> <role>
 *     kind search|verification
 *     query <the question, one line>
 *     parties <count>
 *     <a party asked about>        (one line each, by its name key)
 *     asked <count>
 *     <a registration number asked about>   (one line each)
 *     log <size> <base64 root>
 *     results <count>
 *     <registration number>        (one line each)
 *
 *     c2sp.org/tlog-proof@v1
 *     index <number - 1>
 *     <base64 hash>                (the inclusion proof, one line each)
 *
 *     <log origin>/reports
 *     <reports in the log>
 *     <base64 root>
 *
 *     — <key name> <signature>
 *
 * The reports form a transparency log of their own (RFC 9162 hashing):
 * report n is leaf n - 1, its text the leaf's data.  The answers recorded
 * together (pledger_report_issue() with n of them, or a group added to
 * one answer at a time: pledger_report_group_begin()) share one signed
 * checkpoint, so a service signs once per group, not once per answer,
 * and no report can later be dropped or changed without breaking the
 * checkpoints banks hold.  Reports of pledger's first 0.2 builds were
 * each a signed note (the text, an empty line, the signature lines);
 * they still open.
 *
 * Anyone with the registry's verifier key checks a report
 * (pledger_report_open()); a consistency proof from its log size to a
 * later checkpoint (pledger_log_prove_consistency()) shows the answer was
 * read from the history everyone else sees.
 *
 * Reports are numbered 1, 2, 3 … per registry, without gaps, and kept
 * append-only beside the register, in a companion database
 * "<registry>.reports" (created by the first report of a writable
 * handle; back it up with the registry).  They are not journal events:
 * asking does not change the register.  The auditor (and the registrar)
 * list them by party, actor and period (pledger_report_find()): a party
 * finds the reports whose question named it and those whose answer named
 * one of its registrations; a bank lists and fetches its own.  A report
 * is handed out only once it survives a crash of the machine: each commit
 * of reports is synced before pledger_report_issue() returns, unless the
 * handle leaves that to one sync for many commits
 * (pledger_report_set_autosync(), pledger_report_sync()); and a report
 * read back (pledger_report_get(), pledger_report_find()) is synced
 * before it is returned, whichever handle committed it.  A checkpoint of
 * the reports' log a bank holds is therefore never taken back by a power
 * cut, to be signed again over other reports.  A companion written by the first
 * 0.2 builds is brought to the present form (its reports become the log's
 * first leaves) the first time a writable handle uses it; a read-only
 * handle gets #PLEDGER_EREADONLY saying so.
 */
#ifndef PLEDGER_REPORT_H
#define PLEDGER_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/common.h>
#include <pledger/log.h>
#include <pledger/query.h>
#include <pledger/registry.h>
#include <pledger/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a report answers. @since 0.2 */
typedef enum pledger_report_kind {
    PLEDGER_REPORT_SEARCH = 1,      /**< "search": a search (pledger_search()) */
    PLEDGER_REPORT_VERIFICATION = 2 /**< "verification": one registration by number */
} pledger_report_kind;

/** "search", "verification"; NULL for another value. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_kind_name(pledger_report_kind kind);

/** The version of #pledger_report_request this header describes. */
#define PLEDGER_REPORT_REQUEST_VERSION 1

/**
 * One answer to record.  Initialise with #PLEDGER_REPORT_REQUEST_INIT.
 * @since 0.2
 */
typedef struct pledger_report_request {
    /** Must be #PLEDGER_REPORT_REQUEST_VERSION. */
    unsigned version;
    /** What was asked. */
    pledger_report_kind kind;
    /** Who asked (1 to 64 bytes, no control character); NULL: the
     *  registry's actor (pledger_set_actor()). */
    const char *actor;
    /** In what role; 0: the registry's role. */
    pledger_role role;
    /** The question as one line of printable UTF-8 (at most 2,000 bytes),
     *  such as "party_id=91350100M000100Y43&side=either". */
    const char *query;
    /** The parties the question was about (identifiers or names as asked,
     *  each 1 to 512 bytes, as long as a search's party_name may be); the
     *  auditor finds the report under each, however it was spelt (an
     *  identifier in any case, with full-width characters or spaces; a
     *  name by its name key, as a search compares them), and under the
     *  pledgors and pledgees of the registrations answered. */
    const char *const *parties;
    /** How many strings @c parties holds (at most 100); 0: none, and
     *  @c parties may then be NULL. */
    size_t party_count;
    /** The registration numbers the answer named, in its order (at most
     *  10,000). */
    const char *const *numbers;
    /** How many strings @c numbers holds (at most 10,000); 0: the answer
     *  named none, and @c numbers may then be NULL. */
    size_t number_count;
    /** The log size the answer was read at (pledger_log_size() when it was
     *  given); 0: the log now.  At most the log's size. */
    uint64_t log_size;
    /** The registration numbers the question named (a verification's
     *  number, a comparison's other; at most 100, each as @c numbers'):
     *  the auditor finds the report under their pledgors and pledgees
     *  whether or not the answer named them -- a verification refused for
     *  a wrong code is a question about that registration too. */
    const char *const *asked;
    /** How many strings @c asked holds (at most 100); 0: none, and
     *  @c asked may then be NULL. */
    size_t asked_count;
} pledger_report_request;

/** A request with its version set and nothing else. */
#define PLEDGER_REPORT_REQUEST_INIT                                                           \
    { PLEDGER_REPORT_REQUEST_VERSION, PLEDGER_REPORT_SEARCH, NULL, 0, NULL, NULL, 0, NULL, 0, \
      0, NULL, 0 }

/**
 * Record @p n answers as reports, in one transaction (all or none),
 * numbered in the order given, as the next leaves of the reports' log;
 * one checkpoint of that log, signed with every checkpoint key (Ed25519,
 * SM2) of @p signers, proves them all.  Issued at the registry's clock.
 *
 * Who may: any actor for itself (a request whose actor and role are
 * NULL/0 or the registry's own); only the registrar (a service answering
 * for its accounts) for another actor.
 *
 * A handle's first report checks that the companion is this registry's
 * and holds every report the registry marked it held (#PLEDGER_ECORRUPT
 * naming the file otherwise: cut at its end, an older copy, deleted: no
 * number is signed twice); once its reports are synced, the handle marks
 * the registry (at its first report, then at most every ten seconds and
 * at pledger_close(), never waiting for the registry's write lock).
 *
 * @param[out] notes   @p n reports, each its text and its proof (see
 *                     above; pledger_free() each); on failure all NULL
 * @param[out] numbers the @p n report numbers; may be NULL
 * @param[in]  reg     the registry, opened writable, with an actor set
 *                     (#PLEDGER_EPERM otherwise); the reports go to its
 *                     companion file `<registry>.reports`, created by the
 *                     first call.
 * @param[in]  requests the @p n answers (not NULL); read during the call
 *                     only, nothing of them is kept.
 * @param[in]  n       how many: 1 to 10,000 (#PLEDGER_EINVAL otherwise).
 * @param[in]  signers the checkpoint private keys (Ed25519, SM2; up to 32
 *                     are used) that sign the reports' checkpoint; NULL or
 *                     a keyring without one: #PLEDGER_EINVAL.  Borrowed
 *                     for the call.
 * @return 0; #PLEDGER_EINVAL naming the request and its field
 *         (requests[2].query …); #PLEDGER_EPERM; #PLEDGER_EREADONLY; the
 *         companion's own failures, naming its file: #PLEDGER_ENOTDB (not
 *         a database of reports), #PLEDGER_ENEWER, #PLEDGER_ECORRUPT,
 *         #PLEDGER_EBUSY, #PLEDGER_EIO.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_issue(char **notes, uint64_t *numbers, pledger_registry *reg,
                                        const pledger_report_request *requests, size_t n,
                                        const pledger_keyring *signers);

/** A group of search reports being recorded (pledger_report_group_begin()). */
typedef struct pledger_report_group pledger_report_group;

/**
 * Begin a group of search reports on @p reg, to be added one at a time as
 * the answers come (pledger_report_group_add()) and sealed together by
 * one signed checkpoint (pledger_report_group_close()): what
 * pledger_report_issue() does in one call, for a service whose answers
 * arrive while the group is open.  Each report's rows are written as it
 * is added, so closing the group is left with the checkpoint, the proofs
 * and the commit; the answers that wait for their reports wait that much
 * less.
 *
 * The group is one write transaction of the reports' companion: it holds
 * the reports' write lock (not the registry's) until it is closed, and
 * the journal is read as it was when the group began.  Keep a group open
 * for milliseconds, not for a client's next request.  While it is open,
 * @p reg takes no other call (#PLEDGER_ESTATE naming the group);
 * pledger_close() abandons it.
 *
 * Who may, and the companion's first use: as pledger_report_issue().
 *
 * @param[out] out     the group; NULL on failure.
 * @param[in]  reg     the registry, opened writable, with an actor set.
 * @param[in]  signers the checkpoint private keys that will sign the
 *                     group's checkpoint (as pledger_report_issue()); kept
 *                     by pointer: it must outlive the group.
 * @return 0; #PLEDGER_EINVAL naming the argument; #PLEDGER_ESTATE (a
 *         group is open on @p reg already); #PLEDGER_EPERM;
 *         #PLEDGER_EREADONLY; the companion's failures as for
 *         pledger_report_issue().
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_group_begin(pledger_report_group **out,
                                              pledger_registry *reg,
                                              const pledger_keyring *signers);

/**
 * Add one answer to @p g as its next report: checked (as a request of
 * pledger_report_issue(), its fields named requests[i], i its place in
 * the group), numbered, written.  A request refused leaves the group as
 * it was; the next may be added.
 *
 * @param[in]  g       an open group.
 * @param[in]  request the answer; read during the call only.
 * @param[out] number  (may be NULL) the number the report will have once
 *                     the group is closed; until then it is nobody's.
 * @return 0; #PLEDGER_EINVAL naming the field; #PLEDGER_ESTATE when the
 *         request's log_size is beyond the journal as the group reads it
 *         (the answer was read after the group began: close the group and
 *         add it to the next), when the group holds 10,000 reports
 *         already, or when an earlier add failed to write (the group can
 *         only be abandoned); #PLEDGER_EPERM (another actor's answer on a
 *         handle that is not the registrar's); the companion's failures
 *         (then nothing of the group is kept: abandon it).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_group_add(pledger_report_group *g,
                                            const pledger_report_request *request,
                                            uint64_t *number);

/** How many reports @p g holds (0 for NULL). @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_group_count(const pledger_report_group *g);

/**
 * Seal @p g: sign one checkpoint over its reports, make each report's
 * document (its text and its proof, as pledger_report_issue() returns
 * them) and commit, synced unless the handle leaves syncing to
 * pledger_report_sync().  The group ends and is freed, whatever the
 * outcome; on failure none of its reports is kept and their numbers go
 * to the next group.
 *
 * @param[in]  g     the group (NULL: #PLEDGER_EINVAL).
 * @param[out] notes room for pledger_report_group_count() reports, set in
 *                   the order added (pledger_free() each); on failure all
 *                   NULL.  May be NULL only for an empty group.
 * @return 0 (an empty group: nothing is written); #PLEDGER_ESTATE (an add
 *         failed to write); the companion's failures as for
 *         pledger_report_issue().  Errors are set on the group's registry
 *         handle (pledger_errmsg()).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_group_close(pledger_report_group *g, char **notes);

/** End @p g keeping nothing of it, and free it; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_report_group_abandon(pledger_report_group *g);

/**
 * How the commits of @p reg fold the search reports' write-ahead log back
 * into their file (`<registry>.reports`).
 *
 * The reports are committed to a write-ahead log first; the commit that
 * finds @p pages pages in it folds them back, with a sync of the file,
 * before it returns (1000 by default: some 10 ms every few thousand
 * reports on a disk that syncs in milliseconds, which the answers waiting
 * for their reports wait too).  With @p pages 0 the commits of @p reg
 * never do: another handle on the same file calls pledger_report_flush(),
 * off the path of the answers.  The registry's own log is not affected.
 *
 * @param[in] reg a writable handle.
 * @param[in] pages 0 (never), or 1 to 1,000,000.
 * @return 0; #PLEDGER_EINVAL naming @p pages; #PLEDGER_EREADONLY.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_set_autoflush(pledger_registry *reg, int pages);

/**
 * Fold what the search reports' write-ahead log holds back into their
 * file, and sync it, neither waiting for nor blocking a handle that
 * records reports meanwhile.  For a service whose recording handle has
 * pledger_report_set_autoflush() 0: it calls this from a handle of its
 * own, every few hundred milliseconds or more often while @p left_out
 * stays large.  Without a companion (no report recorded yet) there is
 * nothing to do.
 *
 * @param[in] reg a writable handle, outside a transaction and a held read.
 * @param[out] left_out (may be NULL) the pages left in the log: those
 *             committed while it ran, or still read by another handle.
 * @return 0 (also when another handle was folding the log at the time);
 *         #PLEDGER_EREADONLY; #PLEDGER_ESTATE inside a batch or a held
 *         read; the companion's failures as for pledger_report_issue().
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_flush(pledger_registry *reg, uint64_t *left_out);

/**
 * Whether the commits of search reports on @p reg are synced before
 * pledger_report_issue() returns (@p on 1, the default) or left in the
 * operating system's cache (0), for a caller that records many groups a
 * second and syncs them together with pledger_report_sync() -- on
 * another thread, with a handle of its own, while the next group is
 * recorded -- before it hands any of their reports out.  A report handed
 * out before it is synced could be taken back by a crash of the machine
 * and its number and checkpoint size given again to other reports: the
 * fork its log exists to rule out.  The registry's own commits are always
 * synced.
 *
 * @param[in] reg a writable handle.
 * @param[in] on 1 or 0.
 * @return 0; #PLEDGER_EINVAL naming @p on; #PLEDGER_EREADONLY.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_set_autosync(pledger_registry *reg, int on);

/**
 * Make every search report committed so far on the registry of @p reg,
 * by any handle, survive a crash of the machine: one sync of the reports'
 * write-ahead log (and, the first time it is seen, of the directory that
 * holds it).  Any handle may call it, read-only ones too; it takes no
 * lock, so it neither waits for a handle recording reports nor stops it.
 * Without a companion (no report recorded yet) there is nothing to do.
 *
 * @param[in] reg a handle, outside a batch and a held read.
 * @return 0; #PLEDGER_ESTATE inside a batch or a held read; #PLEDGER_EIO
 *         naming the file the system refused to sync (the reports
 *         committed since the last sync that succeeded must then not be
 *         handed out: after a failed sync the system may have dropped
 *         them from its cache); the companion's failures as for
 *         pledger_report_issue().
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_sync(pledger_registry *reg);

/**
 * Report @p number as it was handed out: the same bytes, its proof to
 * the checkpoint of its group (a report of the first form: its signed
 * note).  Role
 * auditor or registrar; a bank only its own (#PLEDGER_EPERM for another's).
 * @return 0; #PLEDGER_ENOTFOUND; #PLEDGER_EPERM; the companion's failures
 *         as for pledger_report_issue().
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_get(char **note_out, pledger_registry *reg, uint64_t number);

/** The version of #pledger_report_filter this header describes. */
#define PLEDGER_REPORT_FILTER_VERSION 1

/** Which reports to list.  Initialise with #PLEDGER_REPORT_FILTER_INIT. @since 0.2 */
typedef struct pledger_report_filter {
    /** Must be #PLEDGER_REPORT_FILTER_VERSION. */
    unsigned version;
    /** Reports about this party (1 to 512 bytes), NULL: any.  An
     *  identifier or a name: the reports whose question named it in any
     *  spelling a search takes for it (the identifier's case, full-width
     *  characters and spaces; the name's key), and those whose answer
     *  named a registration whose pledgor
     *  or pledgee has this identifier (normalized as the register keeps
     *  it) or whose pledgor has this name (compared by its name key). */
    const char *party;
    /** Reports issued to this actor; NULL: any (a bank: always itself). */
    const char *actor;
    /** Issued at or after this instant (microseconds since 1970, UTC);
     *  #PLEDGER_AS_OF_CURRENT: no bound. */
    int64_t from;
    /** Issued at or before this instant; #PLEDGER_AS_OF_CURRENT: no bound. */
    int64_t to;
    /** Only numbers above this one (the last of the previous page). */
    uint64_t after;
    /** At most this many (1 to 10,000). */
    int limit;
} pledger_report_filter;

/** No bounds, the first 1,000. */
#define PLEDGER_REPORT_FILTER_INIT                                                \
    { PLEDGER_REPORT_FILTER_VERSION, NULL, NULL, PLEDGER_AS_OF_CURRENT,          \
      PLEDGER_AS_OF_CURRENT, 0, 1000 }

/** A list of reports (without their notes).  Opaque. @since 0.2 */
typedef struct pledger_report_list pledger_report_list;

/**
 * The reports @p filter selects, by number.  Role auditor or registrar;
 * a bank lists only its own (the filter's actor is taken as itself).
 * @return 0 (an empty list when none, also when no report was ever
 *         recorded); #PLEDGER_EINVAL naming the field; #PLEDGER_EPERM; the
 *         companion's failures as for pledger_report_issue() (a damaged
 *         one is an error, never an empty list).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_find(pledger_report_list **out, pledger_registry *reg,
                                       const pledger_report_filter *filter);
/** How many reports the list holds. @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_list_count(const pledger_report_list *l);
/** Report @p i's number; 0 out of range. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_report_list_number(const pledger_report_list *l, size_t i);
/** When it was issued (microseconds since 1970, UTC). @since 0.2 */
PLEDGER_EXPORT int64_t pledger_report_list_issued_at(const pledger_report_list *l, size_t i);
/** To whom. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_list_actor(const pledger_report_list *l, size_t i);
/** In what role. @since 0.2 */
PLEDGER_EXPORT pledger_role pledger_report_list_role(const pledger_report_list *l, size_t i);
/** Search or verification. @since 0.2 */
PLEDGER_EXPORT pledger_report_kind pledger_report_list_kind(const pledger_report_list *l,
                                                            size_t i);
/** The question. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_list_query(const pledger_report_list *l, size_t i);
/** How many registrations the answer named. @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_list_result_count(const pledger_report_list *l, size_t i);
/** The log size it was read at. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_report_list_log_size(const pledger_report_list *l, size_t i);
/** Free a list; NULL is fine. @since 0.2 */
PLEDGER_EXPORT void pledger_report_list_free(pledger_report_list *l);

/** A report read from its text and proof.  Opaque. @since 0.2 */
typedef struct pledger_report pledger_report;

/**
 * Check a report against @p trusted (checkpoint keys) and read it: its
 * proof must be of leaf number - 1 of the log "<origin>/reports" its
 * checkpoint names, must hold for its text, and the checkpoint must be
 * signed by a trusted key (a report of the first form: its own
 * signature).  Needs no registry (errors: pledger_errmsg(NULL)).
 * @return 0; #PLEDGER_ECODE (no trusted key signed the checkpoint, a
 *         signature fails, the proof does not hold for the text, or is of
 *         another entry or another log); #PLEDGER_EINVAL naming the line
 *         that is not a report's.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_open(pledger_report **out, const char *note, size_t len,
                                       const pledger_keyring *trusted);
/** The log origin of the registry that issued it. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_origin(const pledger_report *r);
/** Its number. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_report_number(const pledger_report *r);
/** When it was issued (microseconds since 1970, UTC). @since 0.2 */
PLEDGER_EXPORT int64_t pledger_report_issued_at(const pledger_report *r);
/** To whom. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_actor(const pledger_report *r);
/** In what role. @since 0.2 */
PLEDGER_EXPORT pledger_role pledger_report_role(const pledger_report *r);
/** Search or verification. @since 0.2 */
PLEDGER_EXPORT pledger_report_kind pledger_report_kind_of(const pledger_report *r);
/** The question. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_query(const pledger_report *r);
/** The log size it was read at. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_report_log_size(const pledger_report *r);
/** The log's root at that size (32 bytes). @since 0.2 */
PLEDGER_EXPORT const unsigned char *pledger_report_log_root(const pledger_report *r);
/** How many registration numbers the answer named. @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_result_count(const pledger_report *r);
/** Registration number @p i of the answer; NULL out of range. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_result(const pledger_report *r, size_t i);
/** How many parties the question was about: the keys the auditor finds
 *  the report by (pledger_report_find()), each a party as asked folded
 *  to its name key (0 for a report of the first 0.2 builds, which did
 *  not list them). @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_party_count(const pledger_report *r);
/** Party @p i asked about (its name key); NULL out of range. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_party(const pledger_report *r, size_t i);
/** How many registration numbers the question named (#pledger_report_request
 *  @c asked; 0 for a report of the first 0.2 builds). @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_asked_count(const pledger_report *r);
/** Registration number @p i the question named; NULL out of range. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_asked(const pledger_report *r, size_t i);
/** The names of the trusted keys whose signature held (on the
 *  checkpoint, or on a report of the first form): how many. @since 0.2 */
PLEDGER_EXPORT size_t pledger_report_signer_count(const pledger_report *r);
/** Signer @p i's key name. @since 0.2 */
PLEDGER_EXPORT const char *pledger_report_signer(const pledger_report *r, size_t i);
/** Free a report; NULL is fine. @since 0.2 */
PLEDGER_EXPORT void pledger_report_free(pledger_report *r);

/**
 * Verify the search reports kept beside @p reg, as an auditor does who
 * no longer trusts the file: every report from number 1 without a gap;
 * each report's text read as a report of this registry (its origin, its
 * number) and the same as the row the auditor's lists are read from
 * (when, to whom, in what role, the kind, the question, how many results,
 * the log size); its log line the journal's own root at that size; the
 * keys the auditor finds it by the same as the parties and registrations
 * its text names, in their place in the index; the Merkle tree of the
 * texts the same as the tree kept, subtree by subtree, and no subtree
 * beyond it; every report within the checkpoint it was handed out with,
 * each checkpoint kept being of the reports' log ("<origin>/reports"),
 * of the tree's root at its size, and signed by a key of @p trusted.
 * Role: auditor or registrar.
 *
 * Reports removed from the end together with their subtrees and
 * checkpoints, an older copy of the file or none at all agree with
 * themselves: the registry file's mark of the reports (written by
 * pledger_report_issue() and pledger_report_sync() after the reports are
 * synced, at most every ten seconds a handle and at its pledger_close())
 * shows them, naming the first report missing; a loss of the reports of
 * the last ten seconds before a crash is left to the checkpoint a bank
 * holds (in every report it keeps;
 * pledger_report_get() then finds no report of that number).
 *
 * @param[out] bad_out   0 when every check holds, else the number of the
 *                       first report found wrong (or the one after the
 *                       last, for something kept beyond the last report);
 *                       pledger_errmsg() says what was wrong.
 * @param[out] count_out reports verified, or NULL.
 * @param[in] reg        the registry.
 * @param[in] trusted    keys the checkpoints must be signed with (and the
 *                       reports of the first 0.2 builds, each signed on
 *                       its own); NULL: their signatures are not checked,
 *                       only what they sign.
 * @return 0 whether or not the reports hold (check @p bad_out; a registry
 *         that never recorded a report holds, with a count of 0); an
 *         error code when the verification could not run.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_report_verify(uint64_t *bad_out, uint64_t *count_out,
                                         pledger_registry *reg,
                                         const pledger_keyring *trusted);

#ifdef __cplusplus
}
#endif

#endif
