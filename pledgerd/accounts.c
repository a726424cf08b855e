#include "accounts.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

static bool hexbytes(const char *hex, unsigned char *out, size_t n)
{
    if (strlen(hex) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]) ||
            sscanf(hex + 2 * i, "%2x", &v) != 1)
            return false;
        out[i] = (unsigned char)v;
    }
    return true;
}

static void tohex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", in[i]);
}

static bool good_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

static bool digest(const unsigned char salt[16], const char *token, unsigned char out[32])
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    unsigned len = 0;
    bool ok = m && EVP_DigestInit_ex(m, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(m, salt, 16) && EVP_DigestUpdate(m, token, strlen(token)) &&
              EVP_DigestFinal_ex(m, out, &len) && len == 32;
    EVP_MD_CTX_free(m);
    return ok;
}

static int by_name_then_line(const void *x, const void *y)
{
    const account *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int name_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const account *)elem)->name);
}

/* The account named @name (under a->lock), or NULL. */
static account *find(accounts *a, const char *name)
{
    return a->n ? bsearch(name, a->v, a->n, sizeof *a->v, name_cmp) : NULL;
}

void comment_cut(char *line)
{
    for (char *p = line; *p; p++)
        if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            return;
        }
}

/* What a file's type is, said when it is not a regular file. */
static const char *file_kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket"
           : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "no file";
}

FILE *open_regular(const char *what, const char *path, char *err, size_t err_size)
{
    struct stat st;
    int fd, flags;

    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        snprintf(err, err_size, "%s %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        snprintf(err, err_size, "%s %s: %s", what, path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s %s: is %s, not a regular file", what, path,
                 file_kind(st.st_mode));
        close(fd);
        return NULL;
    }
    FILE *f = (flags = fcntl(fd, F_GETFL)) >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0
                  ? fdopen(fd, "r")
                  : NULL;
    if (!f) {
        snprintf(err, err_size, "%s %s: %s", what, path, strerror(errno));
        close(fd);
    }
    return f;
}

int owner_writes_only(FILE *f, const char *what, const char *path, const char *risk,
                      char *err, size_t err_size)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !(st.st_mode & (S_IWGRP | S_IWOTH)))
        return 0;
    snprintf(err, err_size, "%s %s: writable by %s (mode %03o): %s; chmod go-w it", what, path,
             st.st_mode & S_IWOTH ? "anyone" : "its group", (unsigned)(st.st_mode & 0777), risk);
    return -1;
}

int accounts_load(accounts *out, const char *path, char *err, size_t err_size)
{
    FILE *f = open_regular("accounts file", path, err, err_size);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    long no = 0;
    account *v = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return -1;
    if (owner_writes_only(f, "accounts file", path, "whoever may write it may give "
                          "themselves any role", err, err_size)) {
        fclose(f);
        return -1;
    }
    /* lines of any length (a long comment is one line) */
    while ((got = getline(&line, &line_cap, f)) >= 0) {
        no++;
        if ((size_t)got != strlen(line)) {
            snprintf(err, err_size, "accounts file %s: line %ld: holds a NUL byte", path, no);
            goto fail;
        }
        /* a byte order mark (an editor on Windows) is not part of line 1 */
        if (no == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
            memmove(line, line + 3, strlen(line + 3) + 1);
        comment_cut(line);
        /* NAME ROLE SALT HASH, split on white space: what is wrong is
         * said naming the field */
        char *fld[5], *save = NULL;
        int fields = 0;
        for (char *p = strtok_r(line, " \t\r\n\v\f", &save); p && fields < 5;
             p = strtok_r(NULL, " \t\r\n\v\f", &save))
            fld[fields++] = p;
        if (fields == 0)
            continue;
        account a;
        memset(&a, 0, sizeof a);
        if (fields != 4) {
            snprintf(err, err_size, "accounts file %s: line %ld: %s field%s, expected NAME ROLE "
                     "SALT HASH", path, no, fields > 4 ? "more than 4" : fields == 1 ? "1"
                     : fields == 2 ? "2" : "3", fields == 1 ? "" : "s");
            goto fail;
        }
        int r = pledger_role_from_name(fld[1]);
        const char *field = NULL, *shown = NULL, *takes = NULL;
        if (!good_name(fld[0]))
            field = "NAME", shown = fld[0], takes = "1 to 64 letters, digits, '.', '_', '-'";
        else if (r <= 0)
            field = "ROLE", shown = fld[1], takes = "bank, applicant, clerk, registrar or auditor";
        else if (!hexbytes(fld[2], a.salt, 16))
            field = "SALT", takes = "32 hex digits";
        else if (!hexbytes(fld[3], a.hash, 32))
            field = "HASH", takes = "64 hex digits";
        if (field) {
            char said[80] = "";
            if (shown) /* what was found, its bytes beyond printable ASCII as '?' */
                for (size_t i = 0; shown[i] && i + 3 < sizeof said; i++) {
                    unsigned char ch = (unsigned char)shown[i];
                    said[i] = ch > ' ' && ch < 0x7f ? (char)ch : '?';
                    said[i + 1] = '\0';
                }
            snprintf(err, err_size, "accounts file %s: line %ld: %s%s%s%s: it takes %s", path,
                     no, field, shown ? " '" : "", said, shown ? "'" : "", takes);
            goto fail;
        }
        const char *name = fld[0];
        memcpy(a.name, name, strlen(name) + 1); /* good_name(): at most 64 */
        a.line = no;
        a.role = (pledger_role)r;
        if (n == cap) {
            account *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *nv);
            if (!nv) {
                snprintf(err, err_size, "accounts file %s: out of memory", path);
                goto fail;
            }
            v = nv;
        }
        v[n++] = a;
    }
    if (ferror(f)) {
        snprintf(err, err_size, "accounts file %s: %s", path, strerror(errno));
        goto fail;
    }
    free(line);
    line = NULL;
    fclose(f);
    f = NULL;
    /* sorted by name (a request finds its account by binary search, also
     * among thousands); the same name twice is refused, naming both lines */
    if (n > 1)
        qsort(v, n, sizeof *v, by_name_then_line);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1].name, v[i].name) == 0) {
            snprintf(err, err_size, "accounts file %s: line %ld: account '%s' again (first on "
                     "line %ld)", path, v[i].line, v[i].name, v[i - 1].line);
            goto fail;
        }
    /* keep the rate budgets of the accounts that stay */
    pthread_mutex_lock(&out->lock);
    for (size_t i = 0; i < n; i++) {
        account *old = find(out, v[i].name);
        v[i].tokens = old ? old->tokens : -1;
        v[i].refilled_us = old ? old->refilled_us : 0;
    }
    free(out->v);
    out->v = v;
    out->n = n;
    out->generation++; /* what connections remember was checked against the old */
    pthread_mutex_unlock(&out->lock);
    return 0;
fail:
    free(line);
    if (f)
        fclose(f);
    free(v);
    return -1;
}

void accounts_free(accounts *a)
{
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

bool accounts_check(accounts *a, const char *token, char actor[65], pledger_role *role)
{
    /* NAME.SECRET: the secret is hex, the name may hold dots itself
     * ("bank.east"): the last dot ends the name */
    const char *dot = strrchr(token, '.');
    char name[65];
    unsigned char h[32];
    bool found = false;

    if (!dot || dot == token || (size_t)(dot - token) > 64 || strlen(token) > 200)
        return false;
    memcpy(name, token, (size_t)(dot - token));
    name[dot - token] = '\0';
    pthread_mutex_lock(&a->lock);
    account *c = find(a, name);
    if (c) {
        found = digest(c->salt, token, h) && CRYPTO_memcmp(h, c->hash, 32) == 0;
        if (found) {
            snprintf(actor, 65, "%s", c->name);
            *role = c->role;
        }
    }
    pthread_mutex_unlock(&a->lock);
    return found;
}

bool accounts_check_memo(accounts *a, token_memo *memo, const char *token, char actor[65],
                         pledger_role *role)
{
    size_t len = strlen(token);
    if (memo && len < sizeof memo->token) {
        pthread_mutex_lock(&a->lock);
        bool same = memo->generation == a->generation && memo->generation != 0 &&
                    memo->len == len && CRYPTO_memcmp(memo->token, token, len) == 0;
        pthread_mutex_unlock(&a->lock);
        if (same) {
            memcpy(actor, memo->actor, sizeof memo->actor);
            *role = memo->role;
            return true;
        }
    }
    pthread_mutex_lock(&a->lock);
    uint64_t generation = a->generation;
    pthread_mutex_unlock(&a->lock);
    if (!accounts_check(a, token, actor, role))
        return false;
    if (memo && len < sizeof memo->token) {
        /* checked against @generation or a later one: remembered for the
         * earliest, so a reload meanwhile only costs a check more */
        memo->generation = generation;
        memo->len = len;
        memcpy(memo->token, token, len + 1);
        memcpy(memo->actor, actor, sizeof memo->actor);
        memo->role = *role;
    }
    return true;
}

bool accounts_rate(accounts *a, const char *name, double per_minute, int64_t now_us,
                   unsigned *retry_s)
{
    bool ok = true;
    pthread_mutex_lock(&a->lock);
    account *c = find(a, name);
    if (c) {
        if (c->tokens < 0) {
            c->tokens = per_minute;
            c->refilled_us = now_us;
        }
        c->tokens += (double)(now_us - c->refilled_us) / 60e6 * per_minute;
        if (c->tokens > per_minute)
            c->tokens = per_minute;
        c->refilled_us = now_us;
        ok = c->tokens >= 1;
        if (ok) {
            c->tokens -= 1;
        } else {
            double wait = (1 - c->tokens) * 60 / per_minute;
            unsigned whole = wait > 60 ? 60 : (unsigned)wait;
            *retry_s = whole < wait && whole < 60 ? whole + 1 : whole ? whole : 1;
        }
    }
    pthread_mutex_unlock(&a->lock);
    return ok;
}

int accounts_new(const char *name, const char *role, char *token, char *line, char *err,
                 size_t err_size)
{
    unsigned char salt[16], secret[24], h[32];
    char salt_hex[33], secret_hex[49], h_hex[65];

    if (!good_name(name)) {
        snprintf(err, err_size, "account name '%.64s': 1 to 64 letters, digits, '.', '_', '-'",
                 name);
        return -1;
    }
    if (pledger_role_from_name(role) <= 0) {
        snprintf(err, err_size, "role '%.32s': one of bank, applicant, clerk, registrar, "
                 "auditor", role);
        return -1;
    }
    if (RAND_bytes(salt, sizeof salt) != 1 || RAND_bytes(secret, sizeof secret) != 1) {
        snprintf(err, err_size, "no random bytes from OpenSSL");
        return -1;
    }
    tohex(salt, sizeof salt, salt_hex);
    tohex(secret, sizeof secret, secret_hex);
    snprintf(token, 200, "%s.%s", name, secret_hex);
    if (!digest(salt, token, h)) {
        snprintf(err, err_size, "hashing the token failed");
        return -1;
    }
    tohex(h, sizeof h, h_hex);
    snprintf(line, 256, "%s %s %s %s", name, role, salt_hex, h_hex);
    return 0;
}
