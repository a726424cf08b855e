/* The store's operations that every backend implements, called by name:
 * each passes the call to the table of the connection's backend
 * (store/backend.h), so the layers above (and the SQLite backend's own
 * files) never name an implementation. */
#include "store/backend.h"
#include "store/journal.h"
#include "store/pledge-row.h"
#include "store/report.h"

int pl_journal_append(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out)
{
    return PL_OPS(db, journal)->append(db, e, ev, seq_out);
}

int pl_journal_verify(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count)
{
    return PL_OPS(db, journal)->verify(db, e, bad_seq, count);
}

int pl_journal_head(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN])
{
    return PL_OPS(db, journal)->head(db, e, seq, hash);
}

int pl_journal_tree_size(pl_db *db, pl_err *e, uint64_t *size)
{
    return PL_OPS(db, journal)->tree_size(db, e, size);
}

int pl_journal_tree_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    return PL_OPS((pl_db *)ctx, journal)->tree_get(ctx, e, level, index, out);
}

int pl_journal_event_bytes(pl_db *db, pl_err *e, int64_t seq, unsigned char **out, size_t *n)
{
    return PL_OPS(db, journal)->event_bytes(db, e, seq, out, n);
}

int pl_journal_leaf(pl_db *db, pl_err *e, int64_t seq, pl_mhash *out)
{
    return PL_OPS(db, journal)->leaf(db, e, seq, out);
}

int pl_journal_tree_sync(pl_db *db, pl_err *e)
{
    return PL_OPS(db, journal)->tree_sync(db, e);
}

int pl_journal_checkpoint_put(pl_db *db, pl_err *e, uint64_t size, int64_t at_us, const char *note)
{
    return PL_OPS(db, journal)->checkpoint_put(db, e, size, at_us, note);
}

int pl_journal_checkpoint_latest(pl_db *db, pl_err *e, char **note)
{
    return PL_OPS(db, journal)->checkpoint_latest(db, e, note);
}

int pl_journal_checkpoints(pl_db *db, pl_err *e, pl_journal_cp **out, size_t *n)
{
    return PL_OPS(db, journal)->checkpoints(db, e, out, n);
}

int pl_pver_load(pl_db *db, pl_err *e, const char *number, int64_t at_us, pl_pver *out)
{
    return PL_OPS(db, rows)->pver_load(db, e, number, at_us, out);
}

int pl_pver_load_id(pl_db *db, pl_err *e, int64_t pledge_id, int64_t at_us, pl_pver *out)
{
    return PL_OPS(db, rows)->pver_load_id(db, e, pledge_id, at_us, out);
}

int pl_cert_issue_load(pl_db *db, pl_err *e, const char *number, int version, char **document,
                       int *version_out, int64_t *seqs, size_t cap, size_t *n)
{
    return PL_OPS(db, rows)->cert_issue_load(db, e, number, version, document, version_out, seqs,
                                             cap, n);
}

int pl_pver_event(pl_db *db, pl_err *e, const char *number, int64_t at_us, int64_t *seq)
{
    return PL_OPS(db, rows)->pver_event(db, e, number, at_us, seq);
}

int pl_report_attach(pl_db *db, pl_err *e, bool create, bool *present)
{
    return PL_OPS(db, reports)->attach(db, e, create, present);
}

int pl_report_next(pl_db *db, pl_err *e, uint64_t *out, uint64_t *checkpoint)
{
    return PL_OPS(db, reports)->next(db, e, out, checkpoint);
}

int pl_report_put(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties,
                  size_t n, const char *const *results, size_t nr)
{
    return PL_OPS(db, reports)->put(db, e, r, parties, n, results, nr);
}

int pl_report_close_group(pl_db *db, pl_err *e, uint64_t first, uint64_t last)
{
    return PL_OPS(db, reports)->close_group(db, e, first, last);
}

int pl_report_get(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor,
                  uint64_t *checkpoint)
{
    return PL_OPS(db, reports)->get(db, e, number, note, actor, checkpoint);
}

int pl_report_node_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    return PL_OPS((pl_db *)ctx, reports)->node_get(ctx, e, level, index, out);
}

int pl_report_node_put(void *ctx, pl_err *e, unsigned level, uint64_t index,
                       const pl_mhash *hash)
{
    return PL_OPS((pl_db *)ctx, reports)->node_put(ctx, e, level, index, hash);
}

int pl_report_checkpoint_put(pl_db *db, pl_err *e, uint64_t size, int64_t at, const char *note)
{
    return PL_OPS(db, reports)->checkpoint_put(db, e, size, at, note);
}

int pl_report_checkpoint_get(pl_db *db, pl_err *e, uint64_t size, char **note)
{
    return PL_OPS(db, reports)->checkpoint_get(db, e, size, note);
}

int pl_report_find(pl_db *db, pl_err *e, const pl_report_filter *f,
                   int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx)
{
    return PL_OPS(db, reports)->find(db, e, f, each, ctx);
}

int pl_pver_history(pl_db *db, pl_err *e, int64_t pledge_id, int up_to, pl_history_fn each,
                    void *arg)
{
    return PL_OPS(db, rows)->history(db, e, pledge_id, up_to, each, arg);
}

int pl_cert_stored_load(pl_db *db, pl_err *e, const char *number, int version,
                        bool with_document, pl_cert_stored *out, bool *found)
{
    return PL_OPS(db, rows)->certificate(db, e, number, version, with_document, out, found);
}

int pl_pver_load_version(pl_db *db, pl_err *e, int64_t pledge_id, int version, pl_pver *out)
{
    return PL_OPS(db, rows)->pver_load_version(db, e, pledge_id, version, out);
}

int pl_report_scan(pl_db *db, pl_err *e, pl_report_scan_fn each, void *ctx)
{
    return PL_OPS(db, reports)->scan(db, e, each, ctx);
}

int pl_report_checkpoint_scan(pl_db *db, pl_err *e,
                              int (*each)(void *ctx, pl_err *e, uint64_t size, const char *note),
                              void *ctx)
{
    return PL_OPS(db, reports)->checkpoint_scan(db, e, each, ctx);
}

int pl_report_ends(pl_db *db, pl_err *e, uint64_t *last, uint64_t *count, uint64_t *end,
                   uint64_t *checkpoint)
{
    return PL_OPS(db, reports)->ends(db, e, last, count, end, checkpoint);
}

char *pl_report_file(pl_db *db)
{
    return PL_OPS(db, reports)->file(db);
}

int pl_report_mark_put(pl_db *db, pl_err *e, const pl_report_mark *m)
{
    return PL_OPS(db, reports)->mark_put(db, e, m);
}

int pl_report_mark_get(pl_db *db, pl_err *e, pl_report_mark *m, bool *found)
{
    return PL_OPS(db, reports)->mark_get(db, e, m, found);
}

int pl_report_autoflush(pl_db *db, pl_err *e, int pages)
{
    return PL_OPS(db, reports)->autoflush(db, e, pages);
}

int pl_report_flush(pl_db *db, pl_err *e, uint64_t *left)
{
    return PL_OPS(db, reports)->flush(db, e, left);
}

int pl_report_autosync(pl_db *db, pl_err *e, bool on)
{
    return PL_OPS(db, reports)->autosync(db, e, on);
}

int pl_report_sync(pl_db *db, pl_err *e)
{
    return PL_OPS(db, reports)->sync(db, e);
}
