/* The registry office's desk: register or refuse an accepted application,
 * then change or cancel the pledge.  One action a run:
 *
 *   registrar-desk REGISTRY.db register UUID
 *   registrar-desk REGISTRY.db refuse   UUID GROUND [NOTE]
 *   registrar-desk REGISTRY.db change   NUMBER AMOUNT [MODCODE]
 *   registrar-desk REGISTRY.db cancel   NUMBER [MODCODE]
 *
 * AMOUNT is the new secured amount in minor units (fen).  A receivable
 * pledge needs the modification code issued when it was registered.
 * Exit status: 0 done, 1 refused by the library (state, conflict, code),
 * 2 usage or another error.  PLEDGER_NOW (microseconds since the epoch)
 * fixes the clock, as the tests do.
 *
 * Build: cc registrar-desk.c $(pkg-config --cflags --libs pledger) */
#include <pledger/pledger.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t fixed_now;
static int64_t fixed_clock(void *payload)
{
    (void)payload;
    return fixed_now;
}

/* Print the library's message; refusals (1) apart from other errors (2). */
static int fail(const pledger_registry *reg, const char *what, int rc)
{
    const char *msg = pledger_errmsg(reg);
    size_t n = strlen(what);
    /* the library's message may name the step itself ("cancel: ...") */
    if (strncmp(msg, what, n) == 0 && msg[n] == ':')
        fprintf(stderr, "registrar-desk: %s (%s)\n", msg, pledger_strerror(rc));
    else
        fprintf(stderr, "registrar-desk: %s: %s (%s)\n", what, msg, pledger_strerror(rc));
    return rc == PLEDGER_ESTATE || rc == PLEDGER_ECONFLICT || rc == PLEDGER_ECODE ||
                   rc == PLEDGER_EPERM
               ? 1
               : 2;
}

/* "changed R-FZ01-..." with the number as registered (@typed may be in
 * lower case, or full width: the library finds it all the same). */
static void say_done(pledger_registry *reg, const char *what, const char *typed)
{
    pledger_pledge *p = NULL;
    printf("%-12s %s\n", what, pledger_pledge_get(&p, reg, typed) == 0
                                    ? pledger_pledge_number(p) : typed);
    pledger_pledge_free(p);
}

/* Show where a pledge stands now: a snapshot of its current version. */
static int show_pledge(pledger_registry *reg, const char *number)
{
    pledger_pledge *p = NULL;
    int rc = pledger_pledge_get(&p, reg, number);
    if (rc != 0)
        return fail(reg, number, rc);
    printf("pledge       %s: %s, version %d, secured %lld %s\n", pledger_pledge_number(p),
           pledger_pledge_state_name(pledger_pledge_state_of(p)), pledger_pledge_version(p),
           (long long)pledger_pledge_amount(p), pledger_pledge_currency(p));
    pledger_pledge_free(p);
    return 0;
}

/* The current certificate: an XML document (share/pledger/pledger.xsd)
 * with the verification code a bank checks; print it, file it, send it. */
static int print_certificate(pledger_registry *reg, const char *number)
{
    char *certificate = NULL;
    int rc = pledger_certificate_get(&certificate, reg, number, 0);
    if (rc != 0)
        return fail(reg, "certificate", rc);
    printf("certificate:\n%s", certificate);
    pledger_free(certificate);
    return 0;
}

/* Register: the pledge exists from now, with a registration number and
 * a certificate.  A receivable also gets its modification code, which the
 * library hands out this once (it keeps only a salted hash). */
static int do_register(pledger_registry *reg, const char *uuid)
{
    char *number = NULL, *modcode = NULL;
    int rc = pledger_application_register(&number, &modcode, reg, uuid);
    if (rc != 0)
        return fail(reg, "register", rc);
    printf("registered   %s\n", number);
    if (modcode)
        printf("modcode      %s (give it to the pledgee; it is not shown again)\n", modcode);
    rc = show_pledge(reg, number);
    if (rc == 0)
        rc = print_certificate(reg, number);
    pledger_free(modcode);
    pledger_free(number);
    return rc;
}

/* Refuse: the application ends, with a ground code for the notice. */
static int do_refuse(pledger_registry *reg, const char *uuid, const char *ground,
                     const char *note)
{
    pledger_application *app = NULL;
    int rc = pledger_application_refuse(reg, uuid, ground, note);
    if (rc != 0)
        return fail(reg, "refuse", rc);
    if ((rc = pledger_application_load(&app, reg, uuid)) != 0)
        return fail(reg, "load", rc);
    printf("application  %s: %s (%s)\n", uuid,
           pledger_app_state_name(pledger_application_state(app)), ground);
    pledger_application_free(app);
    return 0;
}

/* Change the secured amount: a new version and a new certificate; the old
 * version stays readable (pledger_pledge_get_at) and its certificate is
 * marked superseded. */
static int do_change(pledger_registry *reg, const char *number, const char *amount,
                     const char *modcode)
{
    pledger_change change = PLEDGER_CHANGE_INIT; /* fields left NULL/-1 stay as they are */
    char *end = NULL;
    errno = 0;
    change.amount = strtoll(amount, &end, 10);
    /* digits only: one past the largest amount is refused, not recorded
     * as the largest (strtoll saturates) */
    if (*amount < '0' || *amount > '9' || errno || *end || change.amount <= 0) {
        fprintf(stderr, "registrar-desk: AMOUNT must be a positive number of minor units "
                        "(at most %lld)\n", (long long)INT64_MAX);
        return 2;
    }
    change.note = "secured amount changed at the registrar's desk";
    int rc = pledger_pledge_change(reg, number, &change, modcode);
    if (rc != 0)
        return fail(reg, "change", rc);
    say_done(reg, "changed", number);
    rc = show_pledge(reg, number);
    return rc == 0 ? print_certificate(reg, number) : rc;
}

/* Cancel: the claim was satisfied or the parties agree. */
static int do_cancel(pledger_registry *reg, const char *number, const char *modcode)
{
    int rc = pledger_pledge_cancel(reg, number, modcode, "cancelled at the registrar's desk");
    if (rc != 0)
        return fail(reg, "cancel", rc);
    say_done(reg, "cancelled", number);
    return show_pledge(reg, number);
}

int main(int argc, char **argv)
{
    pledger_registry *reg = NULL;
    const char *action = argc > 2 ? argv[2] : "";
    int rc, status;

    if (!((!strcmp(action, "register") && argc == 4) ||
          (!strcmp(action, "refuse") && (argc == 5 || argc == 6)) ||
          (!strcmp(action, "change") && (argc == 5 || argc == 6)) ||
          (!strcmp(action, "cancel") && (argc == 4 || argc == 5)))) {
        fprintf(stderr, "usage: registrar-desk REGISTRY.db register UUID\n"
                        "       registrar-desk REGISTRY.db refuse UUID GROUND [NOTE]\n"
                        "       registrar-desk REGISTRY.db change NUMBER AMOUNT [MODCODE]\n"
                        "       registrar-desk REGISTRY.db cancel NUMBER [MODCODE]\n");
        return 2;
    }

    /* An existing registry only: the desk never creates one.  The office
     * code appears in the registration numbers this desk issues. */
    pledger_open_options opts = PLEDGER_OPEN_OPTIONS_INIT;
    opts.create = 0;
    opts.office_code = "FZ01";
    if ((rc = pledger_open(&reg, argv[1], &opts)) != 0)
        return fail(NULL, argv[1], rc);
    /* PLEDGER_NOW fixes the clock (repeatable runs): microseconds since
     * the epoch, refused when it is not one rather than read as another */
    const char *now = getenv("PLEDGER_NOW");
    if (now && *now) {
        char *end;
        errno = 0;
        fixed_now = strtoll(now, &end, 10);
        if ((*now != '-' && (*now < '0' || *now > '9')) || errno || *end) {
            fprintf(stderr, "registrar-desk: PLEDGER_NOW '%s' is not microseconds since the "
                            "epoch\n", now);
            pledger_close(reg);
            return 2;
        }
        pledger_set_clock(reg, fixed_clock, NULL);
    }
    /* Every change is checked against the actor's role and journaled
     * under the actor's name. */
    pledger_set_actor(reg, "registrar", PLEDGER_ROLE_REGISTRAR);

    if (!strcmp(action, "register"))
        status = do_register(reg, argv[3]);
    else if (!strcmp(action, "refuse"))
        status = do_refuse(reg, argv[3], argv[4], argc > 5 ? argv[5] : NULL);
    else if (!strcmp(action, "change"))
        status = do_change(reg, argv[3], argv[4], argc > 5 ? argv[5] : NULL);
    else
        status = do_cancel(reg, argv[3], argc > 4 ? argv[4] : NULL);

    pledger_close(reg);
    return status;
}
