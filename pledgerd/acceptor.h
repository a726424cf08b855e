/* The listening socket and the thread that accepts on it.
 *
 * libmicrohttpd's own accepting lets whichever of its threads wakes first
 * take up to ten connections in a row, so a burst of keep-alive
 * connections (a bank's pool opening 64 at once) could all land on one
 * thread while the others idle.  pledgerd accepts itself and hands each
 * connection to libmicrohttpd (MHD_add_connection), which spreads them
 * over its threads by socket number; the socket outlives the daemons, so
 * a certificate reload only changes where the next connection goes. */
#ifndef PLEDGERD_ACCEPTOR_H
#define PLEDGERD_ACCEPTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

typedef struct acceptor acceptor;

/* Hand the accepted socket @fd (non-blocking, close-on-exec; from @addr)
 * to the service, which owns it from then on: true when it took it, false
 * when it refused (and closed) it at once. */
typedef bool (*acceptor_add_fn)(void *cls, int fd, const struct sockaddr *addr,
                                socklen_t addr_len);
/* How many connections the service has open, as it knows them. */
typedef unsigned (*acceptor_count_fn)(void *cls);

/* Listen on @host (IPv4 dotted) : @port and accept on a thread of its
 * own, at most @max_connections open at once: beyond that, new
 * connections wait in the socket's queue until one closes.  A connection
 * counts from its hand-over (not from the service's notice that it began,
 * which may come later, from another thread) until acceptor_closed.  One
 * the service dropped without a close notice (out of memory) is found when
 * the acceptor has been full for a second: it asks @count then.
 *
 * *@out is the acceptor before its thread starts: a connection accepted at
 * once and closed at once (a client that only checks the port is open)
 * has its close notice call acceptor_closed(*@out) before this returns.
 * false, *@out NULL and @err on failure. */
bool acceptor_start(acceptor **out, const char *host, unsigned port, unsigned max_connections,
                    acceptor_add_fn add, acceptor_count_fn count, void *cls, char *err,
                    size_t err_size);
/* A connection handed over is gone (libmicrohttpd's close notice).  Any
 * thread. */
void acceptor_closed(acceptor *a);
/* Stop accepting and close the socket; what was accepted stays with the
 * service, and its close notices may still come.  NULL is ignored. */
void acceptor_stop(acceptor *a);
/* Stop, then free: after the last connection handed over is closed. */
void acceptor_free(acceptor *a);

#endif
