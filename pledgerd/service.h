/* pledgerd: the registry answering over HTTPS (JSON, /v1/...), on GNU
 * libmicrohttpd, through the public API of libpledger only. */
#ifndef PLEDGERD_SERVICE_H
#define PLEDGERD_SERVICE_H

#include <pledger/pledger.h>
#include <stdbool.h>
#include <stddef.h>

#include "accounts.h"

typedef struct config {
    char listen_host[64];
    unsigned port;
    char tls_cert[512], tls_key[512]; /* both, or tls = off */
    bool tls;
    /* the protocols and ciphers offered (a GnuTLS priority string); ""
     * offers TLS_DEFAULT_PRIORITIES */
    char tls_priorities[512];
    char registry[512];
    char accounts[512];
    size_t max_request_bytes;
    unsigned max_connections, per_ip_connections, timeout_s, threads;
    double rate_per_minute;
    /* the data line: this office's certificate key, the peers' public keys */
    char exchange_key[512];   /* NAME=PEMFILE */
    char statement_key[512];  /* NAME=PEMFILE: signs verification statements */
    char report_key[512];     /* NAME=PEMFILE: signs search reports (Ed25519, SM2) */
    char exchange_trust[8][512];
    size_t n_trust;
    /* the answers' language when the client asks for none it can have
     * ("zh-CN"; "": the process's, English by default) */
    char language[24];
} config;

/* TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1), with
 * authenticated encryption and forward secrecy: the ciphers of Mozilla's
 * "intermediate" configuration, in GnuTLS's words. */
#define TLS_DEFAULT_PRIORITIES                                                     \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:"         \
    "+AES-256-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
    "+DHE-RSA"

/* The priority string configuration @c offers. */
#define TLS_PRIORITIES(c) (*(c)->tls_priorities ? (c)->tls_priorities : TLS_DEFAULT_PRIORITIES)

/* Read the configuration file @path (key = value lines): 0, or -1 with
 * @err naming the line. */
int config_load(config *c, const char *path, char *err, size_t err_size);

/* The TLS certificate and key @c names (with tls on) are regular files
 * only their owner may write, as config_load() checks them at start: 0,
 * or -1 with @err naming the setting and the file (a reload checks them
 * again before it reads them). */
int config_tls_files(const config *c, char *err, size_t err_size);

typedef struct service service;

/* Start serving (an accepting thread, libmicrohttpd's threads); NULL with
 * @err on failure. */
service *service_start(const config *c, char *err, size_t err_size);
/* Read the accounts file again: 0 with @msg saying how many accounts it
 * holds (service_accounts_said), or -1 with @msg saying why not (the old
 * accounts stay). */
int service_reload(service *s, char *msg, size_t msg_size);
/* "N accounts from PATH", or that there is none and every token is refused. */
void service_accounts_said(service *s, char *msg, size_t msg_size);
/* Read tls_cert and tls_key again and, when they changed and load (the key
 * that of the certificate), serve them to the new connections: a second
 * libmicrohttpd daemon gets the connections accepted from then on; the old
 * one gets no more and finishes the ones it has (see service_reap).
 * 1: switched, @msg says which certificate now serves; 0: unchanged, or
 * tls = off; -1: refused, @msg names the file, the old certificate stays.
 * From the main thread only, like service_reap and service_stop. */
int service_reload_tls(service *s, char *msg, size_t msg_size);
/* Stop the retired daemons whose connections are done (or that drained
 * for too long): the number still draining; call again soon while not 0. */
unsigned service_reap(service *s);
/* Cut the connections whose request was not read whole within
 * timeout_seconds of the connection's start or of its previous answer,
 * however steadily its bytes trickle (libmicrohttpd's own timeout counts
 * idle time only).  Returns how many; from the main thread, often. */
unsigned service_sweep(service *s);
/* Stop accepting; finish the requests being read (for timeout_s at most)
 * and those read whole and being answered (up to 10 minutes: a bulk
 * filing committing is answered, not cut); close. */
void service_stop(service *s);

#endif
