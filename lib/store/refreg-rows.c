/* The reference register's rows (store/ops-refreg.h), common to every
 * backend: the names of the statuses, as register files and the store
 * write them, and freeing the rows the lookups fill. */
#include "store/ops-refreg.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
    NULL, "registered", "cancelled", "invalidated", "expired", "terminated", "not_granted",
    "granted",
};

const char *pl_ref_status_name(int status)
{
    if (status < PL_REF_REGISTERED || status > PL_REF_GRANTED)
        return NULL;
    return status_names[status];
}

int pl_ref_status_from_name(const char *name)
{
    for (int s = PL_REF_REGISTERED; name && s <= PL_REF_GRANTED; s++)
        if (strcmp(status_names[s], name) == 0)
            return s;
    return 0;
}

static void owner_clear(pl_ref_owner *o)
{
    free(o->name);
    free(o->name_key);
    free(o->name_en);
    free(o->id);
    memset(o, 0, sizeof *o);
}

static void right_clear(pl_ref_right *r)
{
    for (size_t i = 0; i < r->n_owners; i++)
        owner_clear(&r->owners[i]);
    free(r->owners);
    free(r->number);
    memset(r, 0, sizeof *r);
    r->valid_from = r->valid_to = PL_REF_NO_DATE;
}

void pl_ref_trademark_clear(pl_ref_trademark *t)
{
    if (!t)
        return;
    right_clear(&t->r);
    free(t->mark);
    free(t->mark_key);
    free(t->family);
    free(t->groups);
    memset(t, 0, sizeof *t);
    t->r.valid_from = t->r.valid_to = PL_REF_NO_DATE;
}

void pl_ref_patent_clear(pl_ref_patent *p)
{
    if (!p)
        return;
    right_clear(&p->r);
    free(p->twin);
    memset(p, 0, sizeof *p);
    p->r.valid_from = p->r.valid_to = PL_REF_NO_DATE;
    p->filing_date = p->grant_date = PL_REF_NO_DATE;
}

void pl_ref_certificate_clear(pl_ref_certificate *c)
{
    if (!c)
        return;
    right_clear(&c->r);
    for (size_t i = 0; i < c->n_allowances; i++) {
        free(c->allowances[i].pollutant);
        free(c->allowances[i].unit);
    }
    free(c->allowances);
    memset(c, 0, sizeof *c);
    c->r.valid_from = c->r.valid_to = PL_REF_NO_DATE;
}

void pl_ref_holding_clear(pl_ref_holding *h)
{
    if (!h)
        return;
    free(h->company);
    free(h->company_name);
    owner_clear(&h->shareholder);
    memset(h, 0, sizeof *h);
}

void pl_ref_marks_clear(pl_ref_marks *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].number);
        free(m->items[i].family);
        free(m->items[i].mark);
    }
    free(m->items);
    memset(m, 0, sizeof *m);
}
