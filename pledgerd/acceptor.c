/* The listening socket and its accepting thread (acceptor.h). */
#include "acceptor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct acceptor {
    int fd;                 /* the listening socket */
    int wake;               /* eventfd: stop, or a place freed while full */
    unsigned max;
    atomic_uint open;       /* connections handed over and not yet closed */
    atomic_bool waiting;    /* full: the thread waits on @wake for a place */
    atomic_bool stopping;
    acceptor_add_fn add;
    acceptor_count_fn count;
    void *cls;
    pthread_t thread;
};

static void poke(acceptor *a)
{
    uint64_t one = 1;
    ssize_t n = write(a->wake, &one, sizeof one);
    (void)n; /* EAGAIN: the counter is already non-zero, the thread wakes */
}

static void drain(acceptor *a)
{
    uint64_t v;
    ssize_t n = read(a->wake, &v, sizeof v);
    (void)n;
}

static void pause_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

static void *run(void *arg)
{
    acceptor *a = arg;
    bool said = false;

    /* its name in top -H, ps -L and /proc: the threads' CPU apart */
    pthread_setname_np(pthread_self(), "pledgerd-accept");

    while (!atomic_load(&a->stopping)) {
        /* full: leave the next connection in the queue until one closes */
        if (atomic_load(&a->open) >= a->max) {
            atomic_store(&a->waiting, true);
            if (atomic_load(&a->open) >= a->max && !atomic_load(&a->stopping)) {
                struct pollfd w = { a->wake, POLLIN, 0 };
                int n = poll(&w, 1, 1000);
                if (n > 0)
                    drain(a);
                else if (n == 0) {
                    /* full for a second with no close: a connection the
                     * service dropped without telling is counted still */
                    unsigned real = a->count(a->cls), now = atomic_load(&a->open);
                    if (real < now)
                        atomic_fetch_sub(&a->open, now - real);
                }
            }
            atomic_store(&a->waiting, false);
            continue;
        }
        struct pollfd p[2] = { { a->fd, POLLIN, 0 }, { a->wake, POLLIN, 0 } };
        if (poll(p, 2, -1) < 0) {
            if (errno != EINTR)
                pause_ms(10);
            continue;
        }
        if (p[1].revents & POLLIN)
            drain(a);
        if (!(p[0].revents & POLLIN))
            continue;
        struct sockaddr_storage addr;
        socklen_t len = sizeof addr;
        int c = accept4(a->fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c < 0) {
            /* out of descriptors: say it once a spell, and let some close */
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                if (!said)
                    fprintf(stderr, "pledgerd: cannot accept a connection: %s\n",
                            strerror(errno));
                said = true;
                pause_ms(100);
            }
            continue; /* EAGAIN, EINTR, ECONNABORTED: the next one */
        }
        said = false;
        atomic_fetch_add(&a->open, 1);
        if (!a->add(a->cls, c, (struct sockaddr *)&addr, len))
            atomic_fetch_sub(&a->open, 1);
    }
    return NULL;
}

bool acceptor_start(acceptor **out, const char *host, unsigned port, unsigned max_connections,
                    acceptor_add_fn add, acceptor_count_fn count, void *cls, char *err,
                    size_t err_size)
{
    *out = NULL;
    /* an IPv4 or IPv6 address as written, never a name to look up */
    struct sockaddr_storage at;
    socklen_t at_len;
    memset(&at, 0, sizeof at);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&at;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&at;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        at_len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        at_len = sizeof *v6;
    } else {
        snprintf(err, err_size, "listen: '%s' is not an IPv4 or IPv6 address (an IPv6 "
                 "address is written in brackets: [::1]:8443)", host);
        return false;
    }
    acceptor *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, err_size, "out of memory");
        return false;
    }
    a->max = max_connections;
    a->add = add;
    a->count = count;
    a->cls = cls;
    atomic_init(&a->open, 0);
    atomic_init(&a->waiting, false);
    atomic_init(&a->stopping, false);
    int on = 1;
    a->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    a->fd = socket(at.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (a->wake < 0 || a->fd < 0 ||
        setsockopt(a->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
        bind(a->fd, (struct sockaddr *)&at, at_len) || listen(a->fd, SOMAXCONN)) {
        bool in6 = at.ss_family == AF_INET6;
        snprintf(err, err_size, "cannot listen on %s%s%s:%u: %s", in6 ? "[" : "", host,
                 in6 ? "]" : "", port, strerror(errno));
        goto fail;
    }
    /* the service knows it before the first connection can close */
    *out = a;
    if ((errno = pthread_create(&a->thread, NULL, run, a))) {
        snprintf(err, err_size, "cannot start the accepting thread: %s", strerror(errno));
        *out = NULL;
        goto fail;
    }
    return true;
fail:
    if (a->fd >= 0)
        close(a->fd);
    if (a->wake >= 0)
        close(a->wake);
    free(a);
    return false;
}

void acceptor_closed(acceptor *a)
{
    /* never below 0 (a count made up again from the service's may already
     * have left this one out) */
    unsigned n = atomic_load(&a->open);
    while (n && !atomic_compare_exchange_weak(&a->open, &n, n - 1))
        ;
    if (atomic_load(&a->waiting))
        poke(a);
}

void acceptor_stop(acceptor *a)
{
    if (!a || a->fd < 0)
        return;
    atomic_store(&a->stopping, true);
    poke(a);
    pthread_join(a->thread, NULL);
    close(a->fd);
    a->fd = -1;
}

void acceptor_free(acceptor *a)
{
    if (!a)
        return;
    acceptor_stop(a);
    close(a->wake);
    free(a);
}
