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
    char registry[512];
    char accounts[512];
    size_t max_request_bytes;
    unsigned max_connections, per_ip_connections, timeout_s, threads;
    double rate_per_minute;
    /* the data line: this office's certificate key, the peers' public keys */
    char exchange_key[512];   /* NAME=PEMFILE */
    char statement_key[512];  /* NAME=PEMFILE: signs verification statements */
    char exchange_trust[8][512];
    size_t n_trust;
} config;

/* Read the configuration file @path (key = value lines): 0, or -1 with
 * @err naming the line. */
int config_load(config *c, const char *path, char *err, size_t err_size);

typedef struct service service;

/* Start serving (threads of libmicrohttpd); NULL with @err on failure. */
service *service_start(const config *c, char *err, size_t err_size);
/* Read the accounts file again: 0, or -1 with @err (the old accounts stay). */
int service_reload(service *s, char *err, size_t err_size);
/* Stop accepting, finish the requests under way, close. */
void service_stop(service *s);

#endif
