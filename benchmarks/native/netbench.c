/*
 * netbench: the one load generator and the non-JVM anchor used by every socket benchmark,
 * so that both sides of a ratio are driven by the same client. Built with the host gcc by
 * benchmarks/lib/common.sh (nothing to install); single-threaded, epoll, no dependencies.
 *
 *   netbench serve-echo [HOST:]PORT [--smc] echo server (anchor server); HOST defaults to 127.0.0.1
 *   netbench serve-sink [HOST:]PORT [--smc] per connection: read u64 length, discard that many
 *                                           bytes, answer one byte (no half-close needed, so any
 *                                           relay in between works)
 *   netbench serve-close [HOST:]PORT [--smc] accept and close at once
 *   netbench stream HOST PORT BYTES CHUNK [--smc]         one stream into serve-sink
 *   netbench rr HOST PORT SIZE SECONDS CONNS [--smc]      ping-pong against an echo server
 *   netbench http HOST PORT SECONDS CONNS [--smc]         HTTP/1.1 keep-alive GET /, one request in
 *                                           flight per connection (the lab's wrk: wrk has no AF_SMC)
 *   netbench connect-rate HOST PORT SECONDS [--smc]       connect, wait for the server's close
 *   (rr with NETBENCH_MODES=1 appends the smc_diag modes seen while its connections were open)
 *   netbench hold HOST PORT N [--smc]       open N connections, print READY, keep them until killed
 *   netbench busy                           busy_ns=N: this machine's non-idle time so far (as
 *                                           NETBENCH_BUSY), for windows around another program
 *   netbench modes                          smc_diag dump: established SMC sockets by mode, so a
 *                                           run can prove it was SMC-D and not a TCP fallback
 *
 * Results go to stdout as one line of key=value pairs, for benchmarks/lib/summarize.py.
 * NETBENCH_BUSY=1 adds busy_ns: this machine's non-idle time within the measured window (from
 * /proc/timer_list; in the icount lab, instructions), for runs where guest time is not a figure.
 * --smc opens AF_SMC (SMCPROTO_SMC, IPv4) sockets instead of AF_INET: the lab anchor.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif

static int use_smc;

/* non-idle ns of this machine (all CPUs): "now at" minus every CPU's idle and iowait sleep time */
static double busy_ns(void) {
    FILE *f = fopen("/proc/timer_list", "r");
    if (!f) return -1;
    char line[256];
    double now = 0, idle = 0, v;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "now at %lf", &v) == 1) now = v;
        else if (strstr(line, "idle_sleeptime") || strstr(line, "iowait_sleeptime")) {
            char *colon = strchr(line, ':');
            if (colon && sscanf(colon + 1, "%lf", &v) == 1) idle += v;
        }
    }
    fclose(f);
    return now - idle;
}

/* NETBENCH_BUSY=1: " busy_ns=N" for the window between two calls, else "" */
static double busy0;
static void busy_start(void) { if (getenv("NETBENCH_BUSY")) busy0 = busy_ns(); }
static const char *busy_end(void) {
    static char out[64];
    out[0] = 0;
    if (getenv("NETBENCH_BUSY")) snprintf(out, sizeof out, " busy_ns=%.0f", busy_ns() - busy0);
    return out;
}

static void die(const char *what) { perror(what); exit(1); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int new_socket(void) {
    int fd = use_smc ? socket(AF_SMC, SOCK_STREAM | SOCK_CLOEXEC, 0)
                     : socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die(use_smc ? "socket(AF_SMC)" : "socket(AF_INET)");
    return fd;
}

static struct sockaddr_in addr_of(const char *host, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) { fprintf(stderr, "bad IPv4 host %s\n", host); exit(2); }
    return a;
}

static void nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* ignored where not applicable */
}

static int connect_to(const char *host, int port) {
    struct sockaddr_in a = addr_of(host, port);
    int fd = new_socket();
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
    nodelay(fd);
    return fd;
}

static int listen_on(const char *spec) {
    char host[64] = "127.0.0.1";
    const char *colon = strrchr(spec, ':');
    if (colon) snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
    int port = atoi(colon ? colon + 1 : spec);
    struct sockaddr_in a = addr_of(host, port);
    int fd = new_socket(), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(fd, 4096) < 0) die("listen");
    printf("READY host=%s port=%d smc=%d\n", host, port, use_smc);
    fflush(stdout);
    return fd;
}

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static ssize_t read_full(int fd, void *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r == 0) return got;
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        got += r;
    }
    return got;
}

static int write_full(int fd, const void *buf, size_t n) {
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        put += w;
    }
    return 0;
}

/* ---- servers: one epoll loop; per-connection state only for sink ---- */

enum kind { ECHO, SINK, CLOSE };
struct conn { int fd; uint64_t want; uint64_t got; int hdr; unsigned char h[8]; char *pend; size_t plen, poff; };

static void serve(const char *spec, enum kind kind) {
    int lfd = listen_on(spec), ep = epoll_create1(EPOLL_CLOEXEC);
    set_nonblock(lfd);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    static char buf[1 << 18];
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (kind == CLOSE) { close(fd); continue; }
                    nodelay(fd);
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            if (c->pend) { /* echo backlog: flush before reading more (backpressure) */
                ssize_t w = write(c->fd, c->pend + c->poff, c->plen - c->poff);
                if (w > 0) c->poff += w;
                if (w < 0 && errno != EAGAIN) goto drop;
                if (c->poff == c->plen) {
                    free(c->pend); c->pend = NULL;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
                continue;
            }
            ssize_t r = read(c->fd, buf, sizeof buf);
            if (r == 0 || (r < 0 && errno != EAGAIN)) goto drop;
            if (r < 0) continue;
            if (kind == ECHO) {
                ssize_t w = write(c->fd, buf, r);
                if (w < 0 && errno != EAGAIN) goto drop;
                if (w < 0) w = 0;
                if (w < r) {
                    c->plen = r - w; c->poff = 0; c->pend = malloc(c->plen);
                    memcpy(c->pend, buf + w, c->plen);
                    struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
            } else { /* SINK */
                ssize_t off = 0;
                while (off < r) {
                    if (c->hdr < 8) { c->h[c->hdr++] = buf[off++]; if (c->hdr == 8) { memcpy(&c->want, c->h, 8); c->got = 0; } continue; }
                    uint64_t take = (uint64_t)(r - off) < c->want - c->got ? (uint64_t)(r - off) : c->want - c->got;
                    c->got += take; off += take;
                    if (c->got == c->want) { char ack = 'K'; write_full(c->fd, &ack, 1); c->hdr = 0; }
                }
            }
            continue;
        drop:
            epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd); free(c->pend); free(c);
        }
    }
}

/* ---- clients ---- */

static void stream(const char *host, int port, uint64_t bytes, size_t chunk) {
    char *buf = calloc(1, chunk);
    for (size_t i = 0; i < chunk; i++) buf[i] = (char)i;
    busy_start();
    double t0 = now_s();
    int fd = connect_to(host, port);
    if (write_full(fd, &bytes, 8) < 0) die("write header");
    for (uint64_t sent = 0; sent < bytes;) {
        size_t n = bytes - sent < chunk ? bytes - sent : chunk;
        if (write_full(fd, buf, n) < 0) die("write");
        sent += n;
    }
    char ack;
    if (read_full(fd, &ack, 1) != 1 || ack != 'K') { fprintf(stderr, "no ack from sink\n"); exit(1); }
    double dt = now_s() - t0;
    const char *busy = busy_end();
    close(fd);
    printf("bytes=%llu seconds=%.4f MBps=%.1f%s\n", (unsigned long long)bytes, dt, bytes / dt / 1e6, busy);
}

static void modes_into(char *out, size_t outlen);
static void stall_report(int fd, unsigned long long ops, double waited);

static int cmp_d(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

/* ---- closed-loop clients (rr, http): CONNS connections, one request in flight on each ---- */

struct loopc { int fd; char *buf; size_t have; double t; };

/* how many bytes make the reply that starts at buf (have bytes so far); -1: not known yet */
typedef long (*reply_len_fn)(const char *buf, size_t have, size_t fixed);

struct loop_result { unsigned long long ops; double dt, p50, p99; char busy[64], modes[256]; };

static void closed_loop(const char *host, int port, double seconds, int conns, const char *req, size_t reqlen,
                        size_t bufcap, reply_len_fn reply_len, size_t fixed, struct loop_result *res) {
    size_t cap = 1 << 20, nlat = 0;
    double *lat = malloc(cap * sizeof *lat);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct loopc *cs = calloc(conns, sizeof *cs);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = connect_to(host, port);
        cs[i].buf = malloc(bufcap);
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e);
    }
    /* NETBENCH_MODES=1: read smc_diag once while every connection is open and established */
    int want_modes = getenv("NETBENCH_MODES") != NULL;
    res->modes[0] = 0;
    busy_start();
    /* the first requests are written blocking (they fit the socket buffer), the rest non-blocking */
    double t0 = now_s(), end = t0 + seconds;
    for (int i = 0; i < conns; i++) { cs[i].t = now_s(); if (write_full(cs[i].fd, req, reqlen) < 0) die("write"); set_nonblock(cs[i].fd); }
    struct epoll_event evs[256];
    unsigned long long ops = 0, stalled_at = ~0ULL;
    while (now_s() < end) {
        int n = epoll_wait(ep, evs, 256, 100);
        /* 100 ms with no reply is a stall (a trip takes tens of us): say once per stall where the bytes are */
        if (n == 0 && conns == 1 && stalled_at != ops) { stalled_at = ops; stall_report(cs[0].fd, ops, now_s() - cs[0].t); }
        for (int i = 0; i < n; i++) {
            struct loopc *c = evs[i].data.ptr;
            ssize_t r = read(c->fd, c->buf + c->have, bufcap - c->have);
            if (r == 0) { fprintf(stderr, "server closed\n"); exit(1); }
            if (r < 0) { if (errno == EAGAIN) continue; die("read"); }
            c->have += r;
            long want = reply_len(c->buf, c->have, fixed);
            if (want < 0 || c->have < (size_t)want) continue;
            if (c->have > (size_t)want) { fprintf(stderr, "unexpected bytes after a reply\n"); exit(1); }
            double now = now_s();
            if (nlat == cap) { cap *= 2; lat = realloc(lat, cap * sizeof *lat); }
            lat[nlat++] = now - c->t;
            ops++;
            if (want_modes && !res->modes[0] && ops >= (unsigned long long)conns) modes_into(res->modes, sizeof res->modes);
            c->have = 0; c->t = now;
            for (size_t put = 0; put < reqlen;) { /* spin on EAGAIN: rare, a request is small */
                ssize_t w = write(c->fd, req + put, reqlen - put);
                if (w > 0) put += w; else if (errno != EAGAIN && errno != EINTR) die("write");
            }
        }
    }
    res->dt = now_s() - t0;
    snprintf(res->busy, sizeof res->busy, "%s", busy_end());
    /* a cold server (a JVM under emulation) may not finish a request in time: read the modes anyway */
    if (want_modes && !res->modes[0]) modes_into(res->modes, sizeof res->modes);
    qsort(lat, nlat, sizeof *lat, cmp_d);
    res->ops = ops;
    res->p50 = nlat ? lat[nlat / 2] : 0;
    res->p99 = nlat ? lat[(size_t)(nlat * 0.99)] : 0;
    for (int i = 0; i < conns; i++) { close(cs[i].fd); free(cs[i].buf); }
    free(cs); free(lat); close(ep);
}

static long fixed_len(const char *buf, size_t have, size_t fixed) { (void)buf; (void)have; return (long)fixed; }

static void rr(const char *host, int port, size_t size, double seconds, int conns) {
    char *out = malloc(size);
    memset(out, 'x', size);
    struct loop_result r;
    closed_loop(host, port, seconds, conns, out, size, size, fixed_len, size, &r);
    /* mean_us: the mean round trip (conns / rate); in the icount lab it is instructions per trip / 1000 */
    printf("size=%zu conns=%d trips=%llu seconds=%.3f trips_per_s=%.0f MBps=%.2f mean_us=%.2f p50_us=%.1f p99_us=%.1f%s %s\n",
           size, conns, r.ops, r.dt, r.ops / r.dt, r.ops * (double)size / r.dt / 1e6, r.ops ? r.dt * conns / r.ops * 1e6 : 0,
           r.p50 * 1e6, r.p99 * 1e6, r.busy, r.modes);
}

/* HTTP/1.1 keep-alive: a response is complete when its headers and Content-Length bytes of body
 * have arrived (chunked is refused); it must be a 200 */
static long http_response_len(const char *b, size_t n, size_t fixed) {
    (void)fixed;
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (!end) return -1;
    if (n < 12 || memcmp(b, "HTTP/1.1 200", 12)) { fprintf(stderr, "http: not a 200 response\n"); exit(1); }
    size_t hlen = end + 4 - b;
    const char *cl = NULL;
    for (const char *p = b; p < end; p++)
        if ((*p == 'c' || *p == 'C') && (size_t)(end - p) > 15 && !strncasecmp(p, "content-length:", 15)) { cl = p + 15; break; }
    if (!cl) { fprintf(stderr, "http: response without content-length\n"); exit(1); }
    return (long)hlen + strtol(cl, NULL, 10);
}

static void http(const char *host, int port, double seconds, int conns) {
    static const char req[] = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
    struct loop_result r;
    closed_loop(host, port, seconds, conns, req, sizeof req - 1, 1 << 16, http_response_len, 0, &r);
    /* ns_per_req: guest time per request over all connections; under icount, instructions per request */
    printf("conns=%d requests=%llu seconds=%.3f rps=%.0f ns_per_req=%.0f mean_us=%.2f p50_us=%.1f p99_us=%.1f%s %s\n",
           conns, r.ops, r.dt, r.ops / r.dt, r.ops ? r.dt / r.ops * 1e9 : 0, r.ops ? r.dt * conns / r.ops * 1e6 : 0,
           r.p50 * 1e6, r.p99 * 1e6, r.busy, r.modes);
}

static void connect_rate(const char *host, int port, double seconds) {
    double t0 = now_s(), end = t0 + seconds;
    unsigned long long n = 0;
    char b[64];
    while (now_s() < end) {
        int fd = connect_to(host, port);
        /* the server closes as soon as it has accepted: EOF proves the accept happened */
        while (read(fd, b, sizeof b) > 0) {}
        close(fd);
        n++;
    }
    double dt = now_s() - t0;
    printf("connections=%llu seconds=%.3f conns_per_s=%.0f\n", n, dt, n / dt);
}

static void hold(const char *host, int port, int n) {
    for (int i = 0; i < n; i++) connect_to(host, port);
    printf("READY held=%d smc=%d\n", n, use_smc);
    fflush(stdout);
    for (;;) pause();
}

/* smc_diag (NETLINK_SOCK_DIAG, family AF_SMC, dump only); layouts in shared/kernel-lab/smc-uapi.md:
 *   request  nlmsghdr | u8 family=43 | u8 pad[2] | u8 ext | inet_diag_sockid (48 B)      = 52 B
 *   reply    nlmsghdr | u8 family | u8 state | u8 mode | u8 shutdown | sockid | uid | inode ...
 * mode: 0 SMC-R, 1 TCP fallback, 2 SMC-D; state 1 = ACTIVE. */
static void modes_into(char *out, size_t outlen) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) { snprintf(out, outlen, "smc_diag=unavailable"); return; }
    struct { struct nlmsghdr h; unsigned char req[52]; } msg = {0};
    msg.h.nlmsg_len = sizeof msg;
    msg.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.req[0] = AF_SMC;
    msg.req[3] = 1 << (5 - 1); /* SMC_DIAG_FALLBACK: u32 reason, u32 peer diagnosis */
    if (send(fd, &msg, sizeof msg, 0) < 0) { close(fd); snprintf(out, outlen, "smc_diag=unavailable"); return; }
    static char buf[1 << 16];
    long count[3] = {0}, other = 0;
    unsigned reason = 0, peer = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) { close(fd); snprintf(out, outlen, "smc_diag=unavailable"); return; }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) goto done;
            if (h->nlmsg_type == NLMSG_ERROR) { close(fd); snprintf(out, outlen, "smc_diag=unavailable"); return; }
            unsigned char *m = NLMSG_DATA(h);
            if (m[1] != 1) continue; /* only ACTIVE connections */
            if (m[2] <= 2) count[m[2]]++; else other++;
            if (m[2] == 1 && !reason) { /* first fallback: its reason, from the rtattrs after the 64-byte message */
                int alen = h->nlmsg_len - NLMSG_LENGTH(64);
                for (struct rtattr *a = (struct rtattr *)(m + 64); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
                    if (a->rta_type == 5 && RTA_PAYLOAD(a) >= 8) { memcpy(&reason, RTA_DATA(a), 4); memcpy(&peer, (char *)RTA_DATA(a) + 4, 4); }
            }
        }
    }
done:
    close(fd);
    snprintf(out, outlen, "smcd=%ld smcr=%ld fallback=%ld other=%ld first_fallback_reason=0x%08x peer_diagnosis=0x%08x",
             count[2], count[0], count[1], other, reason, peer);
}

/* A stalled trip (no reply for 100 ms) on stderr: whether the reply already waits in the client's
 * socket (SIOCINQ, a peek: then the client's epoll missed its wake-up) and every SMC socket's
 * cursors from smc_diag (SMC_DIAG_CONNINFO: with 64 B messages, rx_prod ahead of tx_cons on the
 * server's socket means the request waits there unread). Diagnosis only: nothing is consumed. */
static void stall_report(int fd, unsigned long long ops, double waited) {
    int inq = -1;
    char peek[8];
    ioctl(fd, FIONREAD, &inq);
    ssize_t pk = recv(fd, peek, sizeof peek, MSG_PEEK | MSG_DONTWAIT);
    fprintf(stderr, "STALL after %llu trips, waited %.3f s: client fd inq=%d peek=%zd (errno %d)\n", ops, waited, inq, pk,
            pk < 0 ? errno : 0);
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (nl < 0) return;
    struct { struct nlmsghdr h; unsigned char req[52]; } msg = {0};
    msg.h.nlmsg_len = sizeof msg;
    msg.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.req[0] = AF_SMC;
    msg.req[3] = 1 << (1 - 1); /* SMC_DIAG_CONNINFO */
    if (send(nl, &msg, sizeof msg, 0) < 0) { close(nl); return; }
    static char buf[1 << 16];
    for (;;) {
        ssize_t n = recv(nl, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) goto done;
            unsigned char *m = NLMSG_DATA(h);
            unsigned sport = m[4] << 8 | m[5], dport = m[6] << 8 | m[7];
            int alen = h->nlmsg_len - NLMSG_LENGTH(64);
            for (struct rtattr *a = (struct rtattr *)(m + 64); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
                if (a->rta_type != 1 || RTA_PAYLOAD(a) < 76) continue;
                uint32_t *u = RTA_DATA(a);   /* token sndbuf rmbe peer_rmbe, then cursors {u16 reserved, u16 wrap, u32 count} */
                unsigned char *fl = (unsigned char *)RTA_DATA(a) + 48;
#define CUR(i) (unsigned)(u[(i)] >> 16), u[(i) + 1]
                fprintf(stderr, "STALL smc_diag state=%u mode=%u %u->%u rx_prod=%u:%u rx_cons=%u:%u tx_prod=%u:%u tx_cons=%u:%u "
                        "flags rx_prod=%u rx_conn=%u tx_prod=%u tx_conn=%u tx_prep=%u:%u tx_sent=%u:%u tx_fin=%u:%u\n",
                        m[1], m[2], sport, dport, CUR(4), CUR(6), CUR(8), CUR(10), fl[0], fl[1], fl[2], fl[3], CUR(13), CUR(15), CUR(17));
#undef CUR
            }
        }
    }
done:
    close(nl);
}

static void modes(void) {
    char line[256];
    modes_into(line, sizeof line);
    puts(line);
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--smc")) use_smc = 1; else argv[++n] = argv[i];
    }
    argc = n + 1;
    if (argc >= 3 && !strcmp(argv[1], "serve-echo")) serve(argv[2], ECHO);
    else if (argc >= 3 && !strcmp(argv[1], "serve-sink")) serve(argv[2], SINK);
    else if (argc >= 3 && !strcmp(argv[1], "serve-close")) serve(argv[2], CLOSE);
    else if (argc >= 6 && !strcmp(argv[1], "stream")) stream(argv[2], atoi(argv[3]), strtoull(argv[4], 0, 10), strtoul(argv[5], 0, 10));
    else if (argc >= 7 && !strcmp(argv[1], "rr")) rr(argv[2], atoi(argv[3]), strtoul(argv[4], 0, 10), atof(argv[5]), atoi(argv[6]));
    else if (argc >= 6 && !strcmp(argv[1], "http")) http(argv[2], atoi(argv[3]), atof(argv[4]), atoi(argv[5]));
    else if (argc >= 5 && !strcmp(argv[1], "connect-rate")) connect_rate(argv[2], atoi(argv[3]), atof(argv[4]));
    else if (argc >= 2 && !strcmp(argv[1], "modes")) modes();
    else if (argc >= 2 && !strcmp(argv[1], "busy")) printf("busy_ns=%.0f\n", busy_ns());
    else if (argc >= 5 && !strcmp(argv[1], "hold")) hold(argv[2], atoi(argv[3]), atoi(argv[4]));
    else { fprintf(stderr, "usage: see the comment at the top of netbench.c\n"); return 2; }
    return 0;
}
