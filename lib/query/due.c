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
#include "store/ops-query.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/calendar.h"
#include "base/date.h"
#include "model/xml.h"
#include "workflow/pledge-flow.h"

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
    /* dates are days in an int32_t: the difference fits an int but for
     * stored days far outside the years 0000 to 9999 */
    it->days_left = left < INT_MIN ? INT_MIN : (int)left;
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

typedef struct due_ctx {
    list *l;
    int64_t at;
    int utc_offset;
    const pl_calendar *cal;
    int what;
} due_ctx;

static int application(void *arg, pl_err *e, const pl_due_app *a)
{
    due_ctx *c = arg;

    if (a->state == PLEDGER_APP_SUBMITTED && a->submitted_at != INT64_MIN &&
        a->submitted_at <= c->at) {
        int32_t d = pl_date_of_instant(a->submitted_at, c->utc_offset);
        return add(c->l, e, PL_Q_DUE_ACCEPTANCE, a->uuid, a->kind,
                   pl_calendar_add_working_days(c->cal, d, PL_Q_ACCEPT_DAYS));
    }
    if (a->state == PLEDGER_APP_ACCEPTED && a->updated_at <= c->at) {
        bool fast = a->kind == PLEDGER_KIND_TRADEMARK ||
                    (a->kind == PLEDGER_KIND_PATENT && filed_online(a->document));
        int32_t d = pl_date_of_instant(a->updated_at, c->utc_offset);
        return add(c->l, e, PL_Q_DUE_REGISTRATION, a->uuid, a->kind,
                   pl_calendar_add_working_days(c->cal, d, fast ? PL_Q_REGISTER_DAYS_FAST
                                                                : PL_Q_REGISTER_DAYS));
    }
    if (a->state == PLEDGER_APP_CORRECTION_REQUESTED && a->correction_due != INT32_MIN &&
        a->correction_requested_at != INT64_MIN && a->correction_requested_at <= c->at)
        return add(c->l, e, PL_Q_DUE_CORRECTION, a->uuid, a->kind, a->correction_due);
    return 0;
}

static int pledge(void *arg, pl_err *e, const char *number, int kind, int32_t day)
{
    due_ctx *c = arg;
    return add(c->l, e, c->what, number, kind, day);
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
    pl_date_format(l.today, out->today);
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = pl_wf_calendar_read(db, e, &cal))) {
        const pl_query_ops *q = PL_OPS(db, query);
        int32_t by = (int32_t)((int64_t)l.today + l.within);
        due_ctx c = { &l, at, utc_offset, cal, PL_Q_DUE_EXPIRY };
        if (!(rc = q->due_applications(db, e, application, &c)) &&
            !(rc = q->due_pledges(db, e, PL_DUE_PERIOD_END, at, by, pledge, &c))) {
            c.what = PL_Q_DUE_OBJECTION;
            rc = q->due_pledges(db, e, PL_DUE_OBJECTION, at, by, pledge, &c);
        }
    }
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
