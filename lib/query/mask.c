#include "query/mask.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "workflow/flow.h"

bool pl_mask_applies(pledger_role role)
{
    return pl_read_sight(PL_READ_PLEDGE, role) != PL_SIGHT_FULL;
}

void pl_mask_resident(char *id)
{
    size_t n = strlen(id);
    if (n > 10)
        memset(id + 6, '*', n - 10);
}

char *pl_mask_id(const char *id_type, const char *id, pledger_role role)
{
    char *m;

    if (!id || !(m = strdup(id)))
        return NULL;
    if (pl_mask_applies(role) && id_type && strcmp(id_type, "resident") == 0)
        pl_mask_resident(m);
    return m;
}

/* Is the @n bytes at @s a valid resident identity number?  (A USCC never
 * is: its characters 7 to 14 are not a date of birth with a matching
 * check character.)  Over-masking would be harmless anyway. */
static bool is_resident(const char *s, size_t n)
{
    char in[19], out[19];
    pl_err e;

    if (n != 18)
        return false;
    memcpy(in, s, n);
    in[n] = '\0';
    return pl_ident_normalize(&e, PLEDGER_ID_RESIDENT, in, INT32_MAX, out, sizeof out) == 0;
}

void pl_mask_right_id(char *identifier, int kind)
{
    if (!identifier || kind != PLEDGER_KIND_RECEIVABLE)
        return;
    const char *slash = strchr(identifier, '/');
    size_t n = slash ? (size_t)(slash - identifier) : strlen(identifier);
    if (is_resident(identifier, n))
        memset(identifier + 6, '*', n - 10);
}

void pl_mask_pver(pl_pver *v, pledger_role role)
{
    if (!pl_mask_applies(role))
        return;
    if (v->pledgor_id && v->pledgor_id_type && strcmp(v->pledgor_id_type, "resident") == 0)
        pl_mask_resident(v->pledgor_id);
    if (v->pledgee_id && v->pledgee_id_type && strcmp(v->pledgee_id_type, "resident") == 0)
        pl_mask_resident(v->pledgee_id);
    if (v->debtor_id && is_resident(v->debtor_id, strlen(v->debtor_id)))
        pl_mask_resident(v->debtor_id);
    for (size_t i = 0; i < v->n_rights; i++)
        pl_mask_right_id(v->rights[i].identifier, v->kind);
}

void pl_mask_text(char *text)
{
    size_t run = 0; /* digits (and a final X) ending at text[i] */

    for (size_t i = 0; text && text[i]; i++) {
        char ch = text[i];
        if (ch >= '0' && ch <= '9')
            run++;
        else if ((ch == 'X' || ch == 'x') && run >= 17)
            run = 18; /* a check character ends a number */
        else
            run = 0;
        /* every 18 characters that can end here, a longer run included */
        if (run >= 18 && is_resident(text + i - 17, 18))
            memset(text + i - 17 + 6, '*', 8);
        if (ch == 'X' || ch == 'x')
            run = 0;
    }
}

static bool is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Mask every UUID in @text but its first eight digits: a finding about
 * another filer's application (one pending on the same right) says that
 * it exists, not how to name it. */
static void mask_uuids(char *text)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    size_t n = text ? strlen(text) : 0;

    for (size_t i = 0; i + sizeof shape - 1 <= n; i++) {
        size_t k = 0;
        while (shape[k] && (shape[k] == '-' ? text[i + k] == '-' : is_hex(text[i + k])))
            k++;
        if (shape[k])
            continue;
        for (k = 9; shape[k]; k++)
            if (shape[k] != '-')
                text[i + k] = '*';
        i += sizeof shape - 2;
    }
}

void pl_mask_findings(pl_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        pl_mask_text(f->v[i].message);
        mask_uuids(f->v[i].message);
        if (f->v[i].local) {
            pl_mask_text(f->v[i].local);
            mask_uuids(f->v[i].local);
        }
    }
}
