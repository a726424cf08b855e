/* A bank's verifier: read-only questions to the registry.
 *
 *   bank-verifier REGISTRY.db verify NUMBER [CODE] [AT]
 *   bank-verifier REGISTRY.db right KIND RIGHT-ID [AT]
 *   bank-verifier REGISTRY.db party PARTY-ID [AT]
 *
 * verify: is this registration real, in force, and is the certificate I
 * was handed (its verification CODE, "-" for none) the current one?
 * right:  which pledges are there on this right (KIND trademark, patent,
 *         receivable, ...; RIGHT-ID its number, see query.h)?
 * party:  which pledges name this party (a USCC or an identity number)?
 * AT asks about a past instant instead of now: "2024-05-01T04:00:00Z"
 * (UTC; or with an offset, "2024-05-01T12:00:00+08:00"; or a day,
 * 2024-05-01, its midnight UTC) or microseconds since the epoch.
 *
 * The registry is opened read-only: the bank can ask while the office
 * writes, and cannot change anything.  Exit status: 0 answered (and, for
 * verify, the pledge is in force and the code is current), 1 the answer
 * is negative (not found, not in force, code not genuine or superseded),
 * 2 usage or another error.
 *
 * Build: cc bank-verifier.c $(pkg-config --cflags --libs pledger) */
#define _POSIX_C_SOURCE 200809L /* strdup, isatty */
#include <pledger/pledger.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US INT64_C(86400000000)

static int fail(const pledger_registry *reg, const char *what, int rc)
{
    fprintf(stderr, "bank-verifier: %s: %s (%s)\n", what, pledger_errmsg(reg),
            pledger_strerror(rc));
    return rc == PLEDGER_ENOTFOUND || rc == PLEDGER_ECODE ? 1 : 2;
}

/* AT: an instant as the library reads it (pledger_instant_parse:
 * "2024-05-01T04:00:00Z", an offset "+08:00", or a bare date, its
 * midnight UTC) or microseconds since the epoch up to the last instant
 * (PLEDGER_INSTANT_MAX); false when it is neither.  A day its month does
 * not have (2024-02-30) is refused, not read as another day: a bank
 * must get the answer about the day it asked. */
static bool parse_instant(const char *s, int64_t *out)
{
    if (*s && strspn(s, "0123456789") == strlen(s)) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || *end || v > PLEDGER_INSTANT_MAX)
            return false;
        *out = v;
        return true;
    }
    return pledger_instant_parse(out, s) == PLEDGER_OK;
}

/* Microseconds as "YYYY-MM-DDTHH:MM:SSZ" (UTC; civil date after H. Hinnant). */
static const char *show_instant(int64_t us, char buf[64])
{
    int64_t days = us / DAY_US - (us % DAY_US < 0), secs = (us - days * DAY_US) / 1000000;
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 64, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
             (long long)(yoe + era * 400 + (m <= 2)), (long long)m, (long long)d,
             (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    return buf;
}

/* verify: one indexed lookup of the number, its rights and certificates. */
static int verify(pledger_registry *reg, const char *number, const char *code, int64_t at)
{
    pledger_verify_options opts = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    char t[64];
    opts.code = code;
    opts.as_of = at;
    int rc = pledger_verify(&v, reg, number, &opts);
    if (rc == PLEDGER_ECODE) {
        /* A code that is no certificate's of this pledge never gets an answer. */
        printf("certificate  NOT GENUINE: the code %s is not this pledge's\n", code);
        return 1;
    }
    if (rc != 0)
        return fail(reg, number, rc);

    /* the pledge answered about: the snapshot pledger_pledge_get() gives too */
    const pledger_pledge *p = pledger_verification_pledge(v);
    printf("number       %s\n", pledger_pledge_number(p));
    printf("as of        %s\n", at == PLEDGER_AS_OF_CURRENT ? "now" : show_instant(at, t));
    printf("kind         %s (%s)\n", pledger_kind_name(pledger_pledge_kind(p)),
           pledger_pledge_security(p));
    printf("state        %s, version %d\n",
           pledger_pledge_state_name(pledger_pledge_state_of(p)),
           pledger_pledge_version(p));
    printf("registered   %s\n", show_instant(pledger_pledge_registered_at(p), t));
    printf("pledgor      %s (%s)\n", pledger_pledge_pledgor_name(p),
           pledger_pledge_pledgor_id(p));
    printf("pledgee      %s (%s)\n", pledger_pledge_pledgee_name(p),
           pledger_pledge_pledgee_id(p));
    printf("secured      %lld %s (minor units)\n", (long long)pledger_pledge_amount(p),
           pledger_pledge_currency(p));
    printf("period       %s to %s\n", pledger_pledge_period_start(p),
           pledger_pledge_period_end(p));
    for (size_t i = 0; i < pledger_pledge_right_count(p); i++)
        printf("right        %s, rank %d\n", pledger_pledge_right_id(p, i),
               pledger_verification_right_rank(v, i));
    printf("rank         %d\n", pledger_verification_rank(v));

    int in_force = pledger_verification_rank(v) > 0;
    pledger_code_status cs = pledger_verification_code_status(v);
    if (cs == PLEDGER_CODE_MATCHED)
        printf("certificate  genuine and current (version %d)\n",
               pledger_verification_code_version(v));
    else if (cs == PLEDGER_CODE_SUPERSEDED)
        printf("certificate  genuine but SUPERSEDED: issued for version %d, replaced %s\n",
               pledger_verification_code_version(v),
               show_instant(pledger_verification_code_superseded_at(v), t));
    else
        printf("certificate  not checked (no code given)\n");
    pledger_verification_free(v);
    return in_force && cs != PLEDGER_CODE_SUPERSEDED ? 0 : 1;
}

/* search: all pages of hits, in registration order. */
static int search(pledger_registry *reg, pledger_query *q)
{
    pledger_cursor *cur = NULL;
    char t[64], *after = NULL;
    size_t total = 0;
    int rc = 0;
    printf("%-24s %-10s %-15s %-20s %-34s %-34s %s\n", "number", "kind", "state", "registered",
           "pledgor", "pledgee", "secured");
    do {
        q->after = after; /* NULL first, then the token of the previous page */
        if ((rc = pledger_search(&cur, reg, q)) != 0)
            break;
        while (pledger_cursor_next(cur) == 1) {
            const pledger_pledge *p = pledger_cursor_pledge(cur);
            printf("%-24s %-10s %-15s %-20s %-34s %-34s %lld %s\n", pledger_pledge_number(p),
                   pledger_kind_name(pledger_pledge_kind(p)),
                   pledger_pledge_state_name(pledger_pledge_state_of(p)),
                   show_instant(pledger_pledge_registered_at(p), t),
                   pledger_pledge_pledgor_name(p), pledger_pledge_pledgee_name(p),
                   (long long)pledger_pledge_amount(p), pledger_pledge_currency(p));
            total++;
        }
        free(after);
        after = pledger_cursor_continuation(cur) ? strdup(pledger_cursor_continuation(cur))
                                                 : NULL;
        pledger_cursor_free(cur);
    } while (after);
    if (rc != 0)
        return fail(reg, "search", rc);
    printf("%zu pledge%s\n", total, total == 1 ? "" : "s");
    return total ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *what = argc > 2 ? argv[2] : "";
    int nargs = !strcmp(what, "verify") ? 1 : !strcmp(what, "right") ? 2
              : !strcmp(what, "party") ? 1 : -1;
    int extra = !strcmp(what, "verify") ? 2 : 1; /* optional arguments */
    if (nargs < 0 || argc < 3 + nargs || argc > 3 + nargs + extra) {
        fprintf(stderr, "usage: bank-verifier REGISTRY.db verify NUMBER [CODE|-] [AT]\n"
                        "       bank-verifier REGISTRY.db right KIND RIGHT-ID [AT]\n"
                        "       bank-verifier REGISTRY.db party PARTY-ID [AT]\n");
        return 2;
    }
    int64_t at = PLEDGER_AS_OF_CURRENT;
    const char *at_arg = argc > 3 + nargs + extra - 1 ? argv[3 + nargs + extra - 1] : NULL;
    if (at_arg && !parse_instant(at_arg, &at)) {
        fprintf(stderr, "bank-verifier: '%s' is not an instant (2024-05-01T04:00:00Z)\n",
                at_arg);
        return 2;
    }

    /* Read-only: a SQLite read-only connection, any write is refused. */
    pledger_registry *reg = NULL;
    pledger_open_options opts = PLEDGER_OPEN_OPTIONS_INIT;
    opts.read_only = 1;
    int rc = pledger_open(&reg, argv[1], &opts);
    if (rc != 0)
        return fail(NULL, argv[1], rc);
    /* Identity numbers of natural persons come back masked for a bank. */
    pledger_set_actor(reg, "bank-officer", PLEDGER_ROLE_BANK);

    int status;
    if (!strcmp(what, "verify")) {
        const char *code = argc > 4 && strcmp(argv[4], "-") ? argv[4] : NULL;
        status = verify(reg, argv[3], code, at);
    } else {
        pledger_query q = PLEDGER_QUERY_INIT; /* no criterion yet: every pledge */
        q.as_of = at;
        if (!strcmp(what, "right")) {
            q.kind = pledger_kind_from_name(argv[3]); /* 0 when unknown */
            q.right_id = argv[4]; /* normalised by kind, e.g. "ZL..." patents work too */
            if (q.kind == 0) {
                fprintf(stderr, "bank-verifier: '%s' is not a right kind\n", argv[3]);
                pledger_close(reg);
                return 2;
            }
        } else {
            q.party_id = argv[3];
            q.party_side = PLEDGER_PARTY_EITHER;
        }
        status = search(reg, &q);
    }
    pledger_close(reg);
    return status;
}
