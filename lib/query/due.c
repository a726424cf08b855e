/* The due list: decisions the offices owe, correction windows, pledge
 * periods and objections that end soon or have ended.
 *
 * Limits (docs/domain.md §4.9), counted from the calendar day of the event in
 * the registry's time zone, working days with the registry's calendar:
 *   acceptance decision    2 working days after the day of submission;
 *   registration decision  2 working days after the day the application
 *                          was accepted (or, after a correction, accepted
 *                          again) for trademarks and for patents filed
 *                          online (filing/online true), 5 otherwise;
 *   correction window      the stored correction_due day (30 days);
 *   pledge period          its last day (period_end);
 *   objection              its last day (objection_until), while no
 *                          litigation is recorded.
 * Days left are calendar days from today to the due day. */
#include "query/query.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/calendar.h"
#include "base/date.h"
#include "model/xml.h"
#include "workflow/pledge-flow.h"
#include "store/sql-states.h"

/* Applications awaiting a decision or a correction, with the instant the
 * wait began; the document only where its filing/online flag matters. */
static const char sql_apps[] =
    "SELECT uuid, kind, state, submitted_at, updated_at, correction_requested_at,"
    " correction_due, CASE WHEN kind = 2 AND state = 4 THEN document END"
    " FROM application WHERE state IN (" PL_SQL_APP_SUBMITTED ", " PL_SQL_APP_ACCEPTED ", "
    PL_SQL_APP_CORRECTION_REQUESTED ")";

static const char sql_expiring[] =
    "SELECT p.registration_number, p.kind, v.period_end"
    " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_IN_FORCE("v.") " AND v.period_end <= ?2"
    " AND " PL_SQL_VALID_AT("v.", "?1");

static const char sql_objections[] =
    "SELECT p.registration_number, p.kind, v.objection_until"
    " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_UNDER_OBJECTION("v.") " AND v.objection_until <= ?2 AND v.litigation = 0"
    " AND " PL_SQL_VALID_AT("v.", "?1");

void pl_q_due_clear(pl_q_due *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].subject);
    free(d->items);
    memset(d, 0, sizeof *d);
}

typedef struct list {
    pl_q_due *d;
    size_t cap;
    int32_t today;
    int within;
} list;

static int add(list *l, pl_err *e, int what, const char *subject, int kind, int32_t due)
{
    int64_t left = (int64_t)due - l->today;
    pl_q_due_item *it;

    if (left > l->within)
        return 0;
    if (l->d->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        pl_q_due_item *v = realloc(l->d->items, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        l->d->items = v;
        l->cap = cap;
    }
    it = &l->d->items[l->d->n];
    memset(it, 0, sizeof *it);
    if (!(it->subject = strdup(subject)))
        return pl_err_oom(e);
    l->d->n++;
    it->what = what;
    it->kind = kind;
    it->due = due;
    it->days_left = left < -1000000 ? -1000000 : (int)left;
    pl_date_format(due, it->date);
    return 0;
}

/* filing/online of an application document; false when absent or
 * unreadable (then the longer limit applies). */
static bool filed_online(const char *doc)
{
    xmlDocPtr x = NULL;
    pl_err e;
    bool online = false;

    if (!doc || pl_xml_parse(&e, doc, strlen(doc), "application", &x))
        return false;
    xmlNodePtr n = pl_xml_child(xmlDocGetRootElement(x), "filing");
    n = n ? pl_xml_child(n, "online") : NULL;
    if (n) {
        xmlChar *t = xmlNodeGetContent(n);
        const char *s = (const char *)t;
        while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++;
        online = s && (strncmp(s, "true", 4) == 0 || s[0] == '1');
        xmlFree(t);
    }
    xmlFreeDoc(x);
    return online;
}

static int applications(pl_db *db, pl_err *e, list *l, int64_t at, int utc_offset,
                        const pl_calendar *cal)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_apps, &st);

    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *uuid = (const char *)sqlite3_column_text(st, 0);
        int kind = sqlite3_column_int(st, 1), state = sqlite3_column_int(st, 2);
        int64_t submitted = sqlite3_column_int64(st, 3), since = sqlite3_column_int64(st, 4);
        int64_t requested = sqlite3_column_int64(st, 5);
        int err = 0;

        if (state == PLEDGER_APP_SUBMITTED && sqlite3_column_type(st, 3) != SQLITE_NULL &&
            submitted <= at) {
            int32_t d = pl_date_of_instant(submitted, utc_offset);
            err = add(l, e, PL_Q_DUE_ACCEPTANCE, uuid, kind,
                      pl_calendar_add_working_days(cal, d, PL_Q_ACCEPT_DAYS));
        } else if (state == PLEDGER_APP_ACCEPTED && since <= at) {
            bool fast = kind == PLEDGER_KIND_TRADEMARK ||
                        (kind == PLEDGER_KIND_PATENT &&
                         filed_online((const char *)sqlite3_column_text(st, 7)));
            int32_t d = pl_date_of_instant(since, utc_offset);
            err = add(l, e, PL_Q_DUE_REGISTRATION, uuid, kind,
                      pl_calendar_add_working_days(cal, d, fast ? PL_Q_REGISTER_DAYS_FAST
                                                                : PL_Q_REGISTER_DAYS));
        } else if (state == PLEDGER_APP_CORRECTION_REQUESTED &&
                   sqlite3_column_type(st, 6) != SQLITE_NULL && requested <= at) {
            err = add(l, e, PL_Q_DUE_CORRECTION, uuid, kind, sqlite3_column_int(st, 6));
        }
        if (err) {
            sqlite3_reset(st);
            return err;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading pending applications");
}

static int pledges(pl_db *db, pl_err *e, list *l, const char *sql, int what, int64_t at)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, (int64_t)l->today + l->within);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int err = add(l, e, what, (const char *)sqlite3_column_text(st, 0),
                      sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
        if (err) {
            sqlite3_reset(st);
            return err;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading pledges that fall due");
}

static int item_cmp(const void *pa, const void *pb)
{
    const pl_q_due_item *a = pa, *b = pb;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    if (a->what != b->what)
        return a->what < b->what ? -1 : 1;
    return strcmp(a->subject, b->subject);
}

int pl_q_due_run(pl_db *db, pl_err *e, int64_t at, int utc_offset, int within, pl_q_due *out)
{
    pl_calendar *cal = NULL;
    list l = { out, 0, pl_date_of_instant(at, utc_offset), within };
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = pl_wf_calendar_read(db, e, &cal)) &&
        !(rc = applications(db, e, &l, at, utc_offset, cal)) &&
        !(rc = pledges(db, e, &l, sql_expiring, PL_Q_DUE_EXPIRY, at)))
        rc = pledges(db, e, &l, sql_objections, PL_Q_DUE_OBJECTION, at);
    pl_db_rollback(db);
    pl_calendar_free(cal);
    if (rc) {
        pl_q_due_clear(out);
        return rc;
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, item_cmp);
    return 0;
}
