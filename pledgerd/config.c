#include "service.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool number(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*v))
        return false;
    unsigned long x = strtoul(v, &end, 10);
    if (errno || *end || x < min || x > max)
        return false;
    *out = x;
    return true;
}

/* @host is an address, and none of this machine's loopback addresses
 * (127.0.0.0/8, ::1); one that is no address is the acceptor's to refuse,
 * saying so. */
static bool beyond_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) != 127;
    return inet_pton(AF_INET6, host, &a6) == 1 && !IN6_IS_ADDR_LOOPBACK(&a6);
}

/* The settings given once (exchange_trust may repeat): a second line
 * for one of them is refused, not taken in place of the first (an
 * operator who appended "registry = ..." would serve another registry
 * than the one the file first names). */
static const char *const once[] = {
    "listen", "tls", "tls_cert", "tls_key", "tls_priorities", "registry", "accounts",
    "max_request_bytes", "max_connections", "per_ip_connections", "timeout_seconds", "threads",
    "requests_per_minute", "exchange_key", "report_key", "statement_key", "language",
};

/* @file (what @what names: "tls_key", "configuration c: line 3:
 * tls_key") is a regular file only its owner may write: -1 with @err
 * naming @what and @file when it is not.  One that cannot be opened is
 * its loader's to say. */
static int owner_file(const char *what, const char *file, const char *risk, char *err,
                      size_t err_size)
{
    struct stat st;
    FILE *f;
    int rc;

    if (!*file || stat(file, &st) != 0)
        return 0;
    if (!(f = open_regular(what, file, err, err_size)))
        return -1;
    rc = owner_writes_only(f, what, file, risk, err, err_size);
    fclose(f);
    return rc;
}

/* The file the setting @key on line @no names (@spec: NAME=PATH, or a
 * PATH for tls_cert and tls_key), as owner_file() says, naming the
 * configuration @path and the line. */
static int file_owner_writes(const char *path, long no, const char *key, const char *spec,
                             const char *risk, char *err, size_t err_size)
{
    const char *eq = strchr(spec, '='), *file = eq && strcmp(key, "tls_cert") &&
                                                       strcmp(key, "tls_key") ? eq + 1 : spec;
    char what[1200];

    snprintf(what, sizeof what, "configuration %s: line %ld: %s", path, no, key);
    return owner_file(what, file, risk, err, err_size);
}

static const char risk_cert[] = "whoever may write it may have this service show a "
                                "certificate of their own";
static const char risk_tls_key[] = "whoever may write it may put a key of their own in its "
                                   "place";

int config_tls_files(const config *c, char *err, size_t err_size)
{
    if (!c->tls)
        return 0;
    return owner_file("tls_cert", c->tls_cert, risk_cert, err, err_size) ||
                   owner_file("tls_key", c->tls_key, risk_tls_key, err, err_size)
               ? -1
               : 0;
}

/* Every file a setting names (the TLS certificate and key, the signing
 * keys, the trusted keys) is its owner's to write, as the configuration
 * and the accounts file are. */
static int files_owner_writes(const config *c, const char *path, const long *first,
                              const long *trust_line, char *err, size_t err_size)
{
    static const char sign[] = "whoever may write it may have this service sign with a key "
                               "of their own";
    const struct {
        const char *key, *spec, *risk;
    } files[] = {
        { "tls_cert", c->tls ? c->tls_cert : "", risk_cert },
        { "tls_key", c->tls ? c->tls_key : "", risk_tls_key },
        { "report_key", c->report_key, sign },
        { "statement_key", c->statement_key, sign },
        { "exchange_key", c->exchange_key, sign },
    };

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        long no = 0;
        for (size_t k = 0; k < sizeof once / sizeof once[0]; k++)
            if (!strcmp(once[k], files[i].key))
                no = first[k];
        if (no && file_owner_writes(path, no, files[i].key, files[i].spec, files[i].risk, err,
                                    err_size))
            return -1;
    }
    for (size_t i = 0; i < c->n_trust; i++)
        if (file_owner_writes(path, trust_line[i], "exchange_trust", c->exchange_trust[i],
                              "whoever may write it may have this service trust a key of "
                              "their own", err, err_size))
            return -1;
    return 0;
}

int config_load(config *c, const char *path, char *err, size_t err_size)
{
    /* read once, at start: it may be a pipe (--config <(...)), unlike the
     * files it names, which a reload reads again */
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    long no = 0, first[sizeof once / sizeof once[0]] = { 0 };
    long trust_line[sizeof c->exchange_trust / sizeof c->exchange_trust[0]] = { 0 };
    unsigned long x = 0;

    memset(c, 0, sizeof *c);
    snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
    c->port = 8443;
    c->tls = true;
    c->max_request_bytes = 1u << 20;
    c->max_connections = 256;
    c->per_ip_connections = 64;
    c->timeout_s = 10;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cpus > 0 && cpus < 64 ? (unsigned)cpus : 2;
    c->rate_per_minute = 6000;
    if (!f) {
        snprintf(err, err_size, "configuration %s: %s", path, strerror(errno));
        return -1;
    }
    /* it names the accounts file and the keys */
    if (owner_writes_only(f, "configuration", path, "whoever may write it may name their "
                          "own accounts file", err, err_size)) {
        fclose(f);
        return -1;
    }
    while ((got = getline(&line, &line_cap, f)) >= 0) {
        no++;
        if ((size_t)got != strlen(line)) {
            snprintf(err, err_size, "configuration %s: line %ld: holds a NUL byte", path, no);
            goto fail;
        }
        /* a byte order mark (an editor on Windows) is not part of line 1 */
        if (no == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
            memmove(line, line + 3, strlen(line + 3) + 1);
        comment_cut(line);
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            goto bad;
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        bool ok = true;
        char want[160] = "";   /* what the setting takes, said when refused */
        for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
            if (strcmp(k, once[i]) != 0)
                continue;
            if (first[i]) {
                snprintf(err, err_size, "configuration %s: line %ld: %s is set again (first "
                         "on line %ld); a setting is given once", path, no, k, first[i]);
                goto fail;
            }
            first[i] = no;
        }
        if (!strcmp(k, "listen")) {
            /* ADDRESS:PORT; an IPv6 address in brackets, [::1]:8443 (the
             * acceptor says when the address is not one) */
            const char *host = v, *end, *colon;
            if (*v == '[') {
                host = v + 1;
                end = strchr(v, ']');
                colon = end && end > host ? end + 1 : NULL;
                ok = colon && *colon == ':';
            } else {
                end = colon = strrchr(v, ':');
                ok = colon && colon != v && !memchr(v, ':', (size_t)(colon - v));
            }
            ok = ok && (size_t)(end - host) < sizeof c->listen_host &&
                 number(colon + 1, 1, 65535, &x);
            /* an address as written, never a name to look up: said here,
             * with the line, not by the acceptor once the service starts */
            if (ok) {
                char addr[sizeof c->listen_host];
                unsigned char bin[sizeof(struct in6_addr)];
                snprintf(addr, sizeof addr, "%.*s", (int)(end - host), host);
                ok = inet_pton(AF_INET, addr, bin) == 1 ||
                     (*v == '[' && inet_pton(AF_INET6, addr, bin) == 1);
            }
            snprintf(want, sizeof want, "ADDRESS:PORT (IPv4, or IPv6 in brackets: [::1]:8443; "
                     "an address, not a host name), the port 1 to 65535");
            if (ok) {
                snprintf(c->listen_host, sizeof c->listen_host, "%.*s", (int)(end - host), host);
                c->port = (unsigned)x;
            }
        } else if (!strcmp(k, "tls")) {
            ok = !strcmp(v, "on") || !strcmp(v, "off");
            snprintf(want, sizeof want, "on or off");
            c->tls = !strcmp(v, "on");
        } else if (!strcmp(k, "tls_cert")) {
            ok = strlen(v) < sizeof c->tls_cert;
            snprintf(want, sizeof want, "a path of at most %zu bytes", sizeof c->tls_cert - 1);
            snprintf(c->tls_cert, sizeof c->tls_cert, "%s", v);
        } else if (!strcmp(k, "tls_key")) {
            ok = strlen(v) < sizeof c->tls_key;
            snprintf(want, sizeof want, "a path of at most %zu bytes", sizeof c->tls_key - 1);
            snprintf(c->tls_key, sizeof c->tls_key, "%s", v);
        } else if (!strcmp(k, "tls_priorities")) {
            /* that GnuTLS takes it: at start, naming where it stops */
            ok = *v && strlen(v) < sizeof c->tls_priorities;
            snprintf(want, sizeof want, "a GnuTLS priority string of 1 to %zu bytes",
                     sizeof c->tls_priorities - 1);
            snprintf(c->tls_priorities, sizeof c->tls_priorities, "%s", v);
        } else if (!strcmp(k, "registry")) {
            ok = *v && strlen(v) < sizeof c->registry;
            snprintf(want, sizeof want, "a path of 1 to %zu bytes", sizeof c->registry - 1);
            snprintf(c->registry, sizeof c->registry, "%s", v);
        } else if (!strcmp(k, "accounts")) {
            ok = *v && strlen(v) < sizeof c->accounts;
            snprintf(want, sizeof want, "a path of 1 to %zu bytes", sizeof c->accounts - 1);
            snprintf(c->accounts, sizeof c->accounts, "%s", v);
        } else if (!strcmp(k, "max_request_bytes")) {
            ok = number(v, 1024, 256ul << 20, &x);
            snprintf(want, sizeof want, "a whole number from 1024 to 268435456");
            c->max_request_bytes = x;
        } else if (!strcmp(k, "max_connections")) {
            ok = number(v, 1, 100000, &x);
            snprintf(want, sizeof want, "a whole number from 1 to 100000");
            c->max_connections = (unsigned)x;
        } else if (!strcmp(k, "per_ip_connections")) {
            ok = number(v, 1, 100000, &x);
            snprintf(want, sizeof want, "a whole number from 1 to 100000");
            c->per_ip_connections = (unsigned)x;
        } else if (!strcmp(k, "timeout_seconds")) {
            ok = number(v, 1, 3600, &x);
            snprintf(want, sizeof want, "a whole number from 1 to 3600");
            c->timeout_s = (unsigned)x;
        } else if (!strcmp(k, "threads")) {
            ok = number(v, 1, 256, &x);
            snprintf(want, sizeof want, "a whole number from 1 to 256");
            c->threads = (unsigned)x;
        } else if (!strcmp(k, "requests_per_minute")) {
            ok = number(v, 1, 100000000, &x);
            snprintf(want, sizeof want, "a whole number from 1 to 100000000");
            c->rate_per_minute = (double)x;
        } else if (!strcmp(k, "exchange_key")) {
            ok = strchr(v, '=') && strlen(v) < sizeof c->exchange_key;
            snprintf(want, sizeof want, "NAME=PEMFILE, at most %zu bytes",
                     sizeof c->exchange_key - 1);
            snprintf(c->exchange_key, sizeof c->exchange_key, "%s", v);
        } else if (!strcmp(k, "report_key")) {
            ok = strchr(v, '=') && strlen(v) < sizeof c->report_key;
            snprintf(want, sizeof want, "NAME=PEMFILE, at most %zu bytes",
                     sizeof c->report_key - 1);
            snprintf(c->report_key, sizeof c->report_key, "%s", v);
        } else if (!strcmp(k, "statement_key")) {
            ok = strchr(v, '=') && strlen(v) < sizeof c->statement_key;
            snprintf(want, sizeof want, "NAME=PEMFILE, at most %zu bytes",
                     sizeof c->statement_key - 1);
            snprintf(c->statement_key, sizeof c->statement_key, "%s", v);
        } else if (!strcmp(k, "exchange_trust")) {
            ok = strchr(v, '=') && strlen(v) < sizeof c->exchange_trust[0] &&
                 c->n_trust < sizeof c->exchange_trust / sizeof c->exchange_trust[0];
            snprintf(want, sizeof want, "NAME=PEMFILE, at most %zu bytes, on at most %zu lines",
                     sizeof c->exchange_trust[0] - 1,
                     sizeof c->exchange_trust / sizeof c->exchange_trust[0]);
            if (ok) {
                trust_line[c->n_trust] = no;
                snprintf(c->exchange_trust[c->n_trust++], sizeof c->exchange_trust[0], "%s", v);
            }
        } else if (!strcmp(k, "language")) {
            /* checked here as a name; that pledger speaks it: at start */
            ok = *v && strlen(v) < sizeof c->language &&
                 strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.@") ==
                     strlen(v);
            snprintf(want, sizeof want, "a language pledger speaks, as zh-CN or en");
            snprintf(c->language, sizeof c->language, "%s", v);
        } else {
            snprintf(err, err_size, "configuration %s: line %ld: unknown setting '%.64s'", path,
                     no, k);
            goto fail;
        }
        if (!ok) {
            snprintf(err, err_size, "configuration %s: line %ld: %.64s: bad value '%.200s': "
                     "it takes %s", path, no, k, v, want);
            goto fail;
        }
    }
    if (ferror(f)) {
        snprintf(err, err_size, "configuration %s: %s", path, strerror(errno));
        goto fail;
    }
    free(line);
    fclose(f);
    if (!*c->registry || !*c->accounts || !*c->report_key) {
        snprintf(err, err_size, "configuration %s: 'registry', 'accounts' and 'report_key' "
                 "(NAME=PEMFILE, the Ed25519 or SM2 key that signs search reports) are "
                 "required", path);
        return -1;
    }
    if (!c->tls && beyond_loopback(c->listen_host)) {
        /* every token would cross the network in clear */
        snprintf(err, err_size, "configuration %s: tls = off serves plain HTTP, every token in "
                 "clear: only on a loopback address (127.0.0.1, [::1]), not %s", path,
                 c->listen_host);
        return -1;
    }
    if (c->tls && (!*c->tls_cert || !*c->tls_key)) {
        snprintf(err, err_size, "configuration %s: HTTPS needs tls_cert and tls_key (or "
                 "tls = off, for a loopback test only)", path);
        return -1;
    }
    return files_owner_writes(c, path, first, trust_line, err, err_size);
bad:
    snprintf(err, err_size, "configuration %s: line %ld: expected key = value", path, no);
fail:
    free(line);
    fclose(f);
    return -1;
}
