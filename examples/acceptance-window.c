/* An acceptance point's window: an applicant hands in a pledge application;
 * it is saved as a draft, reviewed (every deficiency at once), submitted
 * and, when nothing stops it, accepted by the clerk, who gets the
 * acceptance number.
 *
 *   acceptance-window REGISTRY.db APPLICATION.xml
 *
 * Exit status: 0 accepted, 1 the review stopped the submission (its
 * findings are printed), 2 usage or another error.  The review checks the
 * application against the reference register, so import one first
 * (register-import).  Set PLEDGER_NOW to microseconds since the epoch to
 * run on a fixed clock (the tests do).
 *
 * Build: cc acceptance-window.c $(pkg-config --cflags --libs pledger) */
#include <pledger/pledger.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fixed clock for reproducible runs (PLEDGER_NOW). */
static int64_t fixed_now;
static int64_t fixed_clock(void *payload)
{
    (void)payload;
    return fixed_now;
}

/* Every call returns 0 or a negative PLEDGER_E* code; the message says
 * what was wrong and where.  Calls without a registry (reading a document)
 * leave it on the thread: pledger_errmsg(NULL). */
static int fail(const pledger_registry *reg, const char *what, int rc)
{
    fprintf(stderr, "acceptance-window: %s: %s (%s)\n", what, pledger_errmsg(reg),
            pledger_strerror(rc));
    return 2;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) != NULL &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        buf[size] = '\0';
        *len = (size_t)size;
    } else {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    pledger_registry *reg = NULL;
    pledger_application *app = NULL;
    pledger_review *review = NULL;
    char *xml = NULL, *acceptance = NULL, uuid[37];
    size_t len = 0;
    int rc, status = 2;

    if (argc != 3) {
        fprintf(stderr, "usage: acceptance-window REGISTRY.db APPLICATION.xml\n");
        return 2;
    }
    if (!(xml = read_file(argv[2], &len))) {
        perror(argv[2]);
        return 2;
    }

    /* The registry file, acting for this window's office (it appears in
     * the acceptance numbers). */
    pledger_open_options opts = PLEDGER_OPEN_OPTIONS_INIT;
    opts.office_code = "FZ01";
    if ((rc = pledger_open(&reg, argv[1], &opts)) != 0) {
        status = fail(NULL, argv[1], rc);
        goto out;
    }
    /* PLEDGER_NOW fixes the clock (repeatable runs): microseconds since
     * the epoch, refused when it is not one rather than read as another */
    const char *now = getenv("PLEDGER_NOW");
    if (now && *now) {
        char *end;
        errno = 0;
        fixed_now = strtoll(now, &end, 10);
        if ((*now != '-' && (*now < '0' || *now > '9')) || errno || *end) {
            fprintf(stderr, "acceptance-window: PLEDGER_NOW '%s' is not microseconds since the "
                            "epoch\n", now);
            status = 2;
            goto out;
        }
        pledger_set_clock(reg, fixed_clock, NULL);
    }

    /* 1. The document: parsed safely (no network, no DTD) and checked
     *    against the schema; a problem names its line and field. */
    if ((rc = pledger_application_from_xml(&app, xml, len)) != 0) {
        status = fail(NULL, argv[2], rc);
        goto out;
    }

    /* 2. The applicant saves it: a draft with a UUID. */
    pledger_set_actor(reg, "applicant", PLEDGER_ROLE_APPLICANT);
    if ((rc = pledger_application_save(reg, app)) != 0) {
        status = fail(reg, "save", rc);
        goto out;
    }
    /* Borrowed from the handle: copy it to keep it past pledger_application_free(). */
    snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
    printf("application  %s (%s)\n", uuid, pledger_kind_name(pledger_application_kind(app)));

    /* 3. The review: every rule of the kind and the reference register,
     *    all findings at once.  It is stored and journaled, so the clerk
     *    sees what the applicant saw. */
    if ((rc = pledger_application_review(&review, reg, uuid)) != 0) {
        status = fail(reg, "review", rc);
        goto out;
    }
    size_t n = pledger_review_count(review);
    printf("review       %zu finding%s\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++)
        printf("  %-11s %-24s %-24s %s\n",
               pledger_severity_name(pledger_review_severity(review, i)),
               pledger_review_code(review, i), pledger_review_path(review, i),
               pledger_review_message(review, i));

    /* 4. Submit.  The library refuses (PLEDGER_EREVIEW) while the latest
     *    review has blocking or correctable findings; risks and notices
     *    do not stop it. */
    rc = pledger_application_submit(reg, uuid);
    if (rc == PLEDGER_EREVIEW) {
        printf("state        reviewed: not submitted, correct the fields above first\n");
        status = 1;
        goto out;
    }
    if (rc != 0) {
        status = fail(reg, "submit", rc);
        goto out;
    }
    printf("state        submitted\n");

    /* 5. The clerk accepts it: an acceptance number from a gap-free
     *    sequence of this office, kind and year. */
    pledger_set_actor(reg, "clerk", PLEDGER_ROLE_CLERK);
    if ((rc = pledger_application_accept(&acceptance, reg, uuid)) != 0) {
        status = fail(reg, "accept", rc);
        goto out;
    }
    printf("acceptance   %s\n", acceptance);

    /* The stored state, read back. */
    pledger_application_free(app);
    app = NULL;
    if ((rc = pledger_application_load(&app, reg, uuid)) != 0) {
        status = fail(reg, "load", rc);
        goto out;
    }
    printf("state        %s\n", pledger_app_state_name(pledger_application_state(app)));
    status = 0;

out:
    pledger_free(acceptance);
    pledger_review_free(review);
    pledger_application_free(app);
    pledger_close(reg);
    free(xml);
    return status;
}
