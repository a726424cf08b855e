/* pledgerd: the registry answering banks, filers and acceptance points
 * over HTTPS.
 *
 *   pledgerd --config /etc/pledger/pledgerd.conf
 *   pledgerd token NAME ROLE     a new account: the line for the accounts
 *                                file on stdout, the token on stderr
 *   pledgerd --help | --version
 *
 * SIGTERM or SIGINT: stop accepting, finish what is under way, exit 0.
 * SIGHUP: read the accounts file, the TLS certificate and its key again
 * (what does not load is refused and stays as it was).  A new certificate
 * is served to the new connections; the connections made before finish
 * with the old one. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "service.h"
#include "language.h"

static const char usage_text[] =
    "usage: pledgerd --config FILE   serve the registry the configuration names\n"
    "       pledgerd token NAME ROLE a new account: its line for the accounts file\n"
    "                                on stdout, its token on stderr\n"
    "       pledgerd --help | --version\n";

/* A call it does not take: the usage on stderr, exit 2. */
static int usage(void)
{
    fputs(usage_text, stderr);
    return 2;
}

int main(int argc, char **argv)
{
    char err[1024];
    config cfg;

    /* Each thread allocates and frees answers of a few kilobytes thousands
     * of times a second: keep what is freed instead of giving the heap's
     * top back at 128 KB and growing it again at once (glibc's default,
     * a system call and page faults each time). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    /* the signals go to sigwait() below, not to the server's threads; held
     * from the start, so that a stop asked for while the service starts
     * (reading its configuration, opening the registry) is a stop once it
     * has started, with its exit status 0, not the signal's default death */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    /* asked for: on stdout, exit 0 */
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        fputs("See pledgerd(8) and the example configuration, pledgerd.conf.example.\n", stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
    }
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("pledgerd %s (libpledger %s)\n", PLEDGERD_VERSION, pledger_version());
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "token") == 0) {
        char token[200], line[256];
        if (accounts_new(argv[2], argv[3], token, line, err, sizeof err)) {
            fprintf(stderr, "pledgerd: %s\n", err);
            return 2;
        }
        printf("%s\n", line);
        fprintf(stderr, "%s\n", token);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "--config") != 0)
        return usage();
    if (config_load(&cfg, argv[2], err, sizeof err)) {
        fprintf(stderr, "pledgerd: %s\n", err);
        return 2;
    }
    /* the default language of the answers: the whole process's, set
     * before any thread starts */
    if (cfg.language[0] && language_default(cfg.language, err, sizeof err)) {
        fprintf(stderr, "pledgerd: configuration %s: %s\n", argv[2], err);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    service *s = service_start(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "pledgerd: %s\n", err);
        return 1;
    }
    bool v6 = strchr(cfg.listen_host, ':') != NULL;
    fprintf(stderr, "pledgerd: %s://%s%s%s:%u/v1/ serves %s\n", cfg.tls ? "https" : "http",
            v6 ? "[" : "", cfg.listen_host, v6 ? "]" : "", cfg.port, cfg.registry);
    service_accounts_said(s, err, sizeof err);
    fprintf(stderr, "pledgerd: %s\n", err);
    for (;;) {
        int sig = 0;
        /* all the work is done here, in the main thread, never in a signal
         * handler */
        unsigned cut = service_sweep(s);
        if (cut)
            fprintf(stderr, "pledgerd: closed %u connection%s that did not send a whole "
                    "request within timeout_seconds\n", cut, cut == 1 ? "" : "s");
        /* every 100 ms while a previous certificate's daemon drains, else
         * every 500 ms: the sweep of slow clients */
        long wait_ns = service_reap(s) ? 100 * 1000 * 1000 : 500 * 1000 * 1000;
        sig = sigtimedwait(&set, NULL, &(struct timespec){ 0, wait_ns });
        if (sig < 0)
            continue;
        if (sig == SIGHUP) {
            if (service_reload(s, err, sizeof err))
                fprintf(stderr, "pledgerd: reload refused, the accounts stay: %s\n", err);
            else
                fprintf(stderr, "pledgerd: accounts reloaded: %s\n", err);
            int tls = config_tls_files(&cfg, err, sizeof err)
                          ? -1
                          : service_reload_tls(s, err, sizeof err);
            if (tls < 0)
                fprintf(stderr, "pledgerd: reload refused, the certificate stays: %s\n", err);
            else if (tls > 0)
                fprintf(stderr, "pledgerd: certificate reloaded: new connections get %s; "
                        "the connections made before finish with the previous one\n", err);
            else if (cfg.tls)
                fprintf(stderr, "pledgerd: certificate unchanged (%s)\n", err);
            continue;
        }
        fprintf(stderr, "pledgerd: stopping\n");
        service_stop(s);
        return 0;
    }
}
