/* The accounts file: one account per line,
 *
 *     NAME ROLE SALT HASH
 *
 * NAME the actor the library journals (letters, digits, '.', '_', '-'),
 * ROLE a pledger role name (bank, applicant, clerk, registrar, auditor),
 * SALT 32 hex digits, HASH the hex SHA-256 of SALT's bytes followed by
 * the token.  A client sends "Authorization: Bearer NAME.SECRET"; the
 * token itself is never stored.  '#' starts a comment. */
#ifndef PLEDGERD_ACCOUNTS_H
#define PLEDGERD_ACCOUNTS_H

#include <pledger/pledger.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

typedef struct account {
    char name[65];
    long line;          /* of the accounts file */
    pledger_role role;
    unsigned char salt[16];
    unsigned char hash[32];
    /* the rate limit: a token bucket */
    double tokens;
    int64_t refilled_us;
} account;

typedef struct accounts {
    account *v;         /* sorted by name: found by binary search */
    size_t n;
    uint64_t generation; /* how many times the file was taken (accounts_load) */
    pthread_mutex_t lock;
} accounts;

/* Read @path into @out (replacing nothing on failure): 0, or -1 with
 * @err (at least 256 bytes) naming the line and what was wrong. */
int accounts_load(accounts *out, const char *path, char *err, size_t err_size);
void accounts_free(accounts *a);

/* The account of token @token ("NAME.SECRET"), its actor name copied to
 * @actor (65 bytes) and role to *@role; false for any other token
 * (the comparison takes the same time whatever differs). */
bool accounts_check(accounts *a, const char *token, char actor[65], pledger_role *role);

/* A connection's last token and what accounts_check() found for it: a
 * client on a kept-alive connection sends the same token with every
 * request, and its salted hash need not be computed again while the
 * accounts are those it was checked against. */
typedef struct token_memo {
    uint64_t generation; /* 0: nothing remembered */
    size_t len;
    char token[201];
    char actor[65];
    pledger_role role;
} token_memo;

/* accounts_check() through @memo (NULL: none): the same answer. */
bool accounts_check_memo(accounts *a, token_memo *memo, const char *token, char actor[65],
                         pledger_role *role);

/* @path opened for reading, when it is a regular file: NULL with @err
 * ("@what @path: why") when it cannot be opened or is a directory, a
 * FIFO, a socket or a device (a FIFO without a writer held the start, or
 * a reload, and every signal after it, for ever). */
FILE *open_regular(const char *what, const char *path, char *err, size_t err_size);

/* A file that names who may do what (the accounts file, the
 * configuration that names it) is its owner's to write: -1 with @err
 * ("@what @path: writable by ... ; @risk") when its group or anyone may
 * write it (as sshd refuses such an authorized_keys), else 0. */
/* Cut @line at its comment, as pledgerd's files write one: a '#' that
 * begins the line or follows white space ("threads = 2  # two cores").
 * A '#' inside a word is the word's ("registry = /srv/reg#2/reg.db"). */
void comment_cut(char *line);

int owner_writes_only(FILE *f, const char *what, const char *path, const char *risk,
                      char *err, size_t err_size);

/* Take one request from @name's budget of @per_minute (burst: the same);
 * false when it is spent, with *@retry_s the whole seconds until the
 * next request is in it again (at least 1). */
bool accounts_rate(accounts *a, const char *name, double per_minute, int64_t now_us,
                   unsigned *retry_s);

/* A new account line for @name and @role: the token (NAME.SECRET) in
 * @token (at least 200 bytes) and the line in @line (at least 256). */
int accounts_new(const char *name, const char *role, char *token, char *line, char *err,
                 size_t err_size);

#endif
