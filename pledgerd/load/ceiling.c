/* The ceiling of pledgerd's load runs (docs/performance.md): libmicrohttpd
 * as pledgerd runs it (epoll, a thread per core, keep-alive) answering
 * every request at once with a fixed JSON body the size of a
 * verification's, reading nothing and recording nothing.  What it does a
 * second, against the same wrk, is what the machine leaves for
 * everything pledgerd does besides.
 *
 *   pledgerd-ceiling PORT [THREADS]      (until killed; loopback only) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static char body[2400];

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload;
    if (!*con_cls) {            /* the headers: answered once the body is read */
        *con_cls = body;
        return MHD_YES;
    }
    if (*upload_size) {         /* a body is read and dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    /* a token is looked up as pledgerd looks it up */
    (void)MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof body, body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 2 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535) {
        fprintf(stderr, "usage: pledgerd-ceiling PORT [THREADS]\n");
        return 2;
    }
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
    memset(body, 'x', sizeof body);
    body[0] = '"';
    body[sizeof body - 1] = '"';
    struct sockaddr_in sa = { 0 };
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)atoi(argv[1]), NULL, NULL, answer, NULL,
        MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u,
        MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "pledgerd-ceiling: cannot listen on 127.0.0.1:%s\n", argv[1]);
        return 1;
    }
    sigset_t set;
    int sig;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
