#include "model/certificate.h"
#include "model/kinds.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/date.h"
#include "model/application.h"
#include "model/xml.h"


static const char *party_id_type_name(pledger_id_type t)
{
    switch (t) {
    case PLEDGER_ID_USCC: return "uscc";
    case PLEDGER_ID_RESIDENT: return "resident";
    case PLEDGER_ID_PASSPORT: return "passport";
    case PLEDGER_ID_FOREIGN_REG: return "foreign_reg";
    default: return NULL;
    }
}

/* Builds the tree; the first failure sticks in rc. */
typedef struct builder {
    pl_err *e;
    xmlDocPtr doc;
    xmlNsPtr ns;
    int rc;
} builder;

static xmlNodePtr el(builder *b, xmlNodePtr parent, const char *name, const char *text)
{
    xmlNodePtr n, t;

    if (b->rc)
        return NULL;
    if (text) {
        b->rc = pl_xml_check_text(b->e, text, name);
        if (b->rc)
            return NULL;
    }
    n = xmlNewDocNode(b->doc, b->ns, BAD_CAST name, NULL);
    if (!n) {
        b->rc = pl_err_oom(b->e);
        return NULL;
    }
    if (!xmlAddChild(parent, n)) {
        xmlFreeNode(n);
        b->rc = pl_err_oom(b->e);
        return NULL;
    }
    if (text && *text) {
        t = xmlNewDocText(b->doc, BAD_CAST text);
        if (!t || !xmlAddChild(n, t)) {
            xmlFreeNode(t);
            b->rc = pl_err_oom(b->e);
            return NULL;
        }
    }
    return n;
}

static void attr(builder *b, xmlNodePtr n, const char *name, const char *value)
{
    if (b->rc || !n)
        return;
    b->rc = pl_xml_check_text(b->e, value, name);
    if (!b->rc && !xmlSetProp(n, BAD_CAST name, BAD_CAST value))
        b->rc = pl_err_oom(b->e);
}

static void el_int(builder *b, xmlNodePtr parent, const char *name, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    el(b, parent, name, buf);
}

static void el_date(builder *b, xmlNodePtr parent, const char *name, int32_t days)
{
    char buf[11];
    pl_date_format(days, buf);
    el(b, parent, name, buf);
}

static void el_instant(builder *b, xmlNodePtr parent, const char *name, int64_t us)
{
    char buf[32];
    pl_instant_format(us, buf);
    el(b, parent, name, buf);
}

static void party(builder *b, xmlNodePtr parent, const char *name, const pl_cert_party *p)
{
    xmlNodePtr n = el(b, parent, name, NULL);

    el(b, n, "name", p->name ? p->name : "");
    if (p->id || p->id_type) {
        const char *type = party_id_type_name(p->id_type);
        if (!type) {
            if (!b->rc)
                b->rc = pl_err_set(b->e, PLEDGER_EINVAL, "%s/id/@type: %d is not a party "
                                   "identifier type", name, (int)p->id_type);
            return;
        }
        attr(b, el(b, n, "id", p->id ? p->id : ""), "type", type);
    }
}

static xmlNodePtr start(builder *b, pl_err *e, const char *root_name)
{
    xmlNodePtr root;

    memset(b, 0, sizeof *b);
    b->e = e;
    pl_xml_init();
    b->doc = xmlNewDoc(BAD_CAST "1.0");
    if (!b->doc) {
        b->rc = pl_err_oom(e);
        return NULL;
    }
    root = xmlNewDocNode(b->doc, NULL, BAD_CAST root_name, NULL);
    if (!root) {
        b->rc = pl_err_oom(e);
        return NULL;
    }
    xmlDocSetRootElement(b->doc, root);
    b->ns = xmlNewNs(root, BAD_CAST PL_XML_NS, NULL);
    if (!b->ns) {
        b->rc = pl_err_oom(e);
        return NULL;
    }
    xmlSetNs(root, b->ns);
    attr(b, root, "version", "1");
    return root;
}

static void cert_fields(builder *b, xmlNodePtr root, const pl_cert_fields *f)
{
    const char *kind = pl_kind_name(f->kind);
    const char *security = f->security;
    xmlNodePtr rights, amount, period;

    if (!kind) {
        b->rc = pl_err_set(b->e, PLEDGER_EINVAL, "kind: %d is not a kind of right",
                           (int)f->kind);
        return;
    }
    if (!security)
        security = f->kind == PLEDGER_KIND_SEA_AREA || f->kind == PLEDGER_KIND_LAND
                       ? "mortgage" : "pledge";
    el(b, root, "registration_number", f->registration_number ? f->registration_number : "");
    el_int(b, root, "version", f->version);
    el(b, root, "status", f->status ? f->status : "current");
    el(b, root, "kind", kind);
    el(b, root, "security", security);
    party(b, root, "pledgor", &f->pledgor);
    party(b, root, "pledgee", &f->pledgee);
    rights = el(b, root, "rights", NULL);
    for (size_t i = 0; i < f->n_rights && !b->rc; i++) {
        const pl_cert_right *r = &f->rights[i];
        xmlNodePtr rn;
        if (!r->kind || !pl_kind_from_name(r->kind)) {
            b->rc = pl_err_set(b->e, PLEDGER_EINVAL, "rights/right[%zu]: '%s' is not a kind "
                               "of right", i + 1, r->kind ? r->kind : "(null)");
            return;
        }
        rn = el(b, rights, r->kind, NULL);
        el(b, rn, "identifier", r->identifier ? r->identifier : "");
        if (r->classes)
            el(b, rn, "classes", r->classes);
    }
    {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, f->amount);
        amount = el(b, root, "amount", buf);
        attr(b, amount, "currency", f->currency ? f->currency : "");
    }
    period = el(b, root, "period", NULL);
    el_date(b, period, "start", f->period_start);
    el_date(b, period, "end", f->period_end);
    el_instant(b, root, "registered_at", f->registered_at);
    el_instant(b, root, "issued_at", f->issued_at);
    if (f->acceptance_number)
        el(b, root, "acceptance_number", f->acceptance_number);
    if (f->application)
        el(b, root, "application", f->application);
    /* A pledge document leaves the code out: it proves possession of the
     * certificate, so only the certificate carries it. */
    if (f->verification_code)
        el(b, root, "verification_code", f->verification_code);
}

/* Validate, serialise, free the tree. */
static int finish(builder *b, const char *what, char **out, size_t *len)
{
    int rc = b->rc;

    if (!rc)
        rc = pl_xml_validate(b->e, b->doc, PL_XML_SCHEMA, what);
    if (!rc)
        rc = pl_xml_dump(b->e, b->doc, out, len);
    xmlFreeDoc(b->doc);
    b->doc = NULL;
    return rc;
}

int pl_cert_to_xml(pl_err *e, const pl_cert_fields *f, char **out, size_t *len)
{
    builder b;
    xmlNodePtr root;

    *out = NULL;
    if (len)
        *len = 0;
    if (!f)
        return pl_err_set(e, PLEDGER_EINVAL, "certificate: no fields given");
    if (!f->verification_code || !*f->verification_code)
        return pl_err_set(e, PLEDGER_EINVAL, "certificate: verification_code is required");
    root = start(&b, e, "certificate");
    if (root)
        cert_fields(&b, root, f);
    return finish(&b, "certificate", out, len);
}

int pl_pledge_to_xml(pl_err *e, const pl_pledge_fields *f, char **out, size_t *len)
{
    builder b;
    xmlNodePtr root;
    const char *state;

    *out = NULL;
    if (len)
        *len = 0;
    if (!f)
        return pl_err_set(e, PLEDGER_EINVAL, "pledge: no fields given");
    state = pl_pledge_state_name(f->state);
    if (!state)
        return pl_err_set(e, PLEDGER_EINVAL, "pledge: state %d is not a pledge state",
                          (int)f->state);
    root = start(&b, e, "pledge");
    if (root) {
        cert_fields(&b, root, &f->cert);
        el(&b, root, "state", state);
        el_instant(&b, root, "valid_from", f->valid_from);
        if (f->has_valid_to)
            el_instant(&b, root, "valid_to", f->valid_to);
        if (f->n_history) {
            xmlNodePtr history = el(&b, root, "history", NULL);
            for (size_t i = 0; i < f->n_history && !b.rc; i++) {
                const pl_pledge_history *h = &f->history[i];
                xmlNodePtr entry = el(&b, history, "entry", NULL);
                el_int(&b, entry, "version", h->version);
                el(&b, entry, "operation", h->operation ? h->operation : "");
                el_instant(&b, entry, "at", h->at);
            }
        }
    }
    return finish(&b, "pledge", out, len);
}
