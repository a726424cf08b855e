/* Public bulk filing: pledger_file_batch and its result; a bulk filing read
 * from one document (pledger_filings_from_xml). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/app-handle.h"
#include "api/handle.h"
#include "model/filings-doc.h"
#include "query/mask.h"
#include "workflow/bulk-flow.h"

typedef struct filing_item {
    char *uuid, *acceptance_number, *number, *modcode;
    pledger_review review;
    bool blocked;
} filing_item;

struct pledger_filing {
    filing_item *items;
    size_t n, blocked;
    bool replayed; /* filed before under its key: nothing was filed now */
};

void pledger_filing_free(pledger_filing *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        filing_item *it = &f->items[i];
        free(it->uuid);
        free(it->acceptance_number);
        free(it->number);
        if (it->modcode)
            memset(it->modcode, 0, strlen(it->modcode));
        free(it->modcode);
        pl_findings_clear(&it->review.f);
    }
    free(f->items);
    free(f);
}

/* The application handles of a filed batch say what the registry now
 * holds, as after pledger_application_save() and the steps. */
static int update_handles(pledger_filing *f, pledger_application *const *apps)
{
    for (size_t i = 0; i < f->n; i++) {
        filing_item *it = &f->items[i];
        char *uuid = strdup(it->uuid), *acc = strdup(it->acceptance_number),
             *num = strdup(it->number);
        if (!uuid || !acc || !num) {
            free(uuid);
            free(acc);
            free(num);
            return PLEDGER_ENOMEM;
        }
        free(apps[i]->uuid);
        free(apps[i]->acceptance_number);
        free(apps[i]->registration_number);
        apps[i]->uuid = uuid;
        apps[i]->acceptance_number = acc;
        apps[i]->registration_number = num;
        apps[i]->state = PLEDGER_APP_REGISTERED;
    }
    return 0;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return x < y ? -1 : x > y;
}

/* PLEDGER_EINVAL when a handle appears twice in @apps (it would be filed
 * twice and keep only its second filing's numbers). */
static int distinct(pledger_registry *reg, const char *fn, pledger_application *const *apps,
                    size_t n)
{
    pledger_application **v = malloc(n * sizeof *v);
    int rc = 0;

    if (!v)
        return pl_err_oom(&reg->err);
    memcpy(v, apps, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_ptr);
    for (size_t i = 1; i < n && !rc; i++)
        if (v[i] == v[i - 1]) {
            size_t first = n, second = n;
            for (size_t k = 0; k < n; k++)
                if (apps[k] == v[i]) {
                    if (first == n)
                        first = k;
                    else if (second == n)
                        second = k;
                }
            rc = pl_err_set(&reg->err, PLEDGER_EINVAL,
                            "%s: apps[%zu] is the same application handle as apps[%zu]; each "
                            "item is filed once", fn, second, first);
        }
    free(v);
    return rc;
}

static int file_batch(const char *fn, pledger_filing **out, pledger_registry *reg,
                      const char *key, pledger_application *const *apps, size_t n)
{
    pledger_filing *f = NULL;
    pl_filed *items = NULL;
    pl_doc **docs = NULL;
    size_t blocked = 0;
    bool replayed = false;
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if (key && (rc = pl_api_check_key(reg, fn, key)))
        return rc;
    if (!apps && n > 0)
        return pl_api_bad_arg(reg, fn, "apps", "is NULL");
    if ((rc = pl_api_writable(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_REVIEW, &sight)))
        return rc;
    if (n > PL_FILE_BATCH_MAX)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: n: %zu items; one batch files at most %d", fn, n,
                          PL_FILE_BATCH_MAX);
    for (size_t i = 0; i < n; i++) {
        if (!apps[i])
            return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: apps[%zu] is NULL", fn, i);
        if (apps[i]->uuid)
            return pl_err_set(&reg->err, PLEDGER_EINVAL,
                              "%s: apps[%zu]: application %s is already saved; a batch files "
                              "new applications", fn, i, apps[i]->uuid);
    }
    if (n > 1 && (rc = distinct(reg, fn, apps, n)))
        return rc;
    if ((n && !(docs = calloc(n, sizeof *docs))) || (n && !(items = calloc(n, sizeof *items))) ||
        !(f = calloc(1, sizeof *f)) || (n && !(f->items = calloc(n, sizeof *f->items)))) {
        rc = pl_err_oom(&reg->err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        docs[i] = apps[i]->doc;
    pl_api_ctx(reg, &c);
    rc = pl_wf_file_batch(&c, docs, n, key, items, &blocked, &replayed);
    if (rc && rc != PLEDGER_EREVIEW)
        goto done;
    f->n = n;
    f->blocked = blocked;
    f->replayed = replayed;
    for (size_t i = 0; i < n; i++) {
        filing_item *it = &f->items[i];
        it->uuid = items[i].uuid;
        it->acceptance_number = items[i].acceptance_number;
        it->number = items[i].number;
        it->modcode = items[i].modcode;
        it->review.f = items[i].findings;
        it->blocked = items[i].blocked;
        memset(&items[i], 0, sizeof items[i]);
        if (sight == PL_SIGHT_MASKED)
            pl_mask_findings(&it->review.f);
    }
    if (!rc && update_handles(f, apps))
        rc = pl_err_set(&reg->err, PLEDGER_ENOMEM,
                        "%s: the batch was filed, but the application handles could not be "
                        "updated for lack of memory; the filing result holds the numbers", fn);
    *out = f;
    f = NULL;
done:
    if (rc && !(rc == PLEDGER_ENOMEM && *out))
        pl_err_prefix(&reg->err, "%s", fn);
    for (size_t i = 0; items && i < n; i++)
        pl_filed_clear(&items[i]);
    free(items);
    free(docs);
    pledger_filing_free(f);
    return rc;
}

int pledger_file_batch(pledger_filing **out, pledger_registry *reg,
                       pledger_application *const *apps, size_t n)
{
    return file_batch("pledger_file_batch", out, reg, NULL, apps, n);
}

int pledger_file_batch_keyed(pledger_filing **out, pledger_registry *reg, const char *key,
                             pledger_application *const *apps, size_t n)
{
    static const char fn[] = "pledger_file_batch_keyed";
    if (!key) {
        if (out)
            *out = NULL;
        int rc = pl_api_enter(reg, fn);
        return rc ? rc : pl_api_bad_arg(reg, fn, "key", "is NULL");
    }
    return file_batch(fn, out, reg, key, apps, n);
}

int pledger_filing_replayed(const pledger_filing *f) { return f && f->replayed; }

size_t pledger_filing_count(const pledger_filing *f) { return f ? f->n : 0; }
size_t pledger_filing_blocked(const pledger_filing *f) { return f ? f->blocked : 0; }

static const filing_item *item(const pledger_filing *f, size_t i)
{
    return f && i < f->n ? &f->items[i] : NULL;
}

const char *pledger_filing_uuid(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? it->uuid : NULL;
}

const char *pledger_filing_acceptance_number(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? it->acceptance_number : NULL;
}

const char *pledger_filing_number(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? it->number : NULL;
}

const char *pledger_filing_modcode(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? it->modcode : NULL;
}

int pledger_filing_item_blocked(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? it->blocked : 0;
}

const pledger_review *pledger_filing_review(const pledger_filing *f, size_t i)
{
    const filing_item *it = item(f, i);
    return it ? &it->review : NULL;
}

/* ---- a bulk filing as one document ------------------------------------------------ */

int pledger_filings_from_xml(pledger_application ***out, size_t *count, const char *xml,
                             size_t len)
{
    static const char fn[] = "pledger_filings_from_xml";
    pl_err *e = pl_err_thread();
    pledger_application **apps = NULL;
    pl_doc **docs = NULL;
    size_t n = 0;
    int rc;

    pl_err_clear(e);
    if (count)
        *count = 0;
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s %s", fn, "out", "is NULL");
    *out = NULL;
    if (!count)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s %s", fn, "count", "is NULL");
    if (!xml)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s %s", fn, "xml", "is NULL");
    if ((rc = pl_filings_parse(e, xml, len, PL_FILE_BATCH_MAX, &docs, &n)))
        return rc;
    if (!(apps = calloc(n, sizeof *apps))) {
        pl_filings_free(docs, n);
        return pl_err_oom(e);
    }
    for (size_t i = 0; i < n; i++) {
        if (!(apps[i] = calloc(1, sizeof *apps[i]))) {
            pledger_application_array_free(apps, i);
            pl_filings_free(docs, n);  /* those not yet handed over (the others are NULL) */
            return pl_err_oom(e);
        }
        apps[i]->doc = docs[i];
        apps[i]->state = PLEDGER_APP_DRAFT;
        docs[i] = NULL;
    }
    free(docs);
    *out = apps;
    *count = n;
    return 0;
}

void pledger_application_array_free(pledger_application **apps, size_t count)
{
    for (size_t i = 0; apps && i < count; i++)
        pledger_application_free(apps[i]);
    free(apps);
}
