/*
 * holdecho: the lab's load generator for LimitsIT. It opens N AF_SMC connections to an echo
 * listener and holds them all open, sends each its own payload (bytes from a generator seeded by the
 * connection's index, then an FNV-1a checksum of them) once all are connected, verifies every echo,
 * then reads the kernel's verdict (smc_diag) on every connection end while all are still open.
 * Built with the host's gcc at test time; single-threaded, epoll, no dependencies: a JVM client
 * of 10,000 connections would cost more than the node it measures under TCG.
 *
 *   holdecho HOST PORT N WINDOW PAYLOAD [--tcp]
 *
 * WINDOW: connects in flight at once. WINDOW >= N is one burst, a handshake storm: all sockets are
 * created first, then connected back to back. A non-blocking AF_SMC connect sends its SYN at once
 * and leaves the rest of its handshake to the kernel's workqueue (smc_hs_wq), where the listener's
 * handshakes run too: with limit_smc_hs on, a listener answers a SYN without SMC while that
 * workqueue has work waiting (af_smc.c, smc_hs_congested).
 * Output, one line each: CONNECTED, ECHOED, then DIAG lines (count of ACTIVE smc_diag sockets by
 * side, mode, fallback reason, peer diagnosis; side = server when the local port is PORT, client
 * when the peer port is), then READY. It holds everything until stdin ends, closes, prints
 * CLOSED and exits 0 only if every connection connected and echoed its own bytes intact.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif
#define CHECKSUM_BYTES 8
/* no progress for this long ends a phase with what it has (the counts then say what was lost) */
#define STALL_SECONDS 600

struct conn {
    int fd;
    int state;      /* 0 not started, 1 connecting, 2 connected, 3 failed, 4 echoed, 5 lost */
    int err;
    size_t sent, got;
    unsigned char *back;
};

static struct conn *conns;
static int n_conns, payload;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t fnv1a(const unsigned char *p, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

/* connection i's payload: its own bytes (xorshift seeded by i), the last 8 the checksum of the rest */
static void expected(int i, unsigned char *out) {
    uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1);
    size_t body = payload - CHECKSUM_BYTES;
    for (size_t k = 0; k < body; k++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        out[k] = (unsigned char)x;
    }
    uint64_t h = fnv1a(out, body);
    memcpy(out + body, &h, CHECKSUM_BYTES);
}

static int intact(int i) {
    unsigned char want[payload];
    expected(i, want);
    uint64_t h;
    memcpy(&h, conns[i].back + payload - CHECKSUM_BYTES, CHECKSUM_BYTES);
    return h == fnv1a(conns[i].back, payload - CHECKSUM_BYTES) && memcmp(want, conns[i].back, payload) == 0;
}

static void raise_nofile(int n) {
    struct rlimit r = { (rlim_t)n + 64, (rlim_t)n + 64 };
    struct rlimit cur;
    getrlimit(RLIMIT_NOFILE, &cur);
    if (cur.rlim_cur >= r.rlim_cur) return;
    if (setrlimit(RLIMIT_NOFILE, &r) != 0) { perror("holdecho: setrlimit(RLIMIT_NOFILE)"); exit(2); }
}

static int new_socket(int use_tcp, int i) {
    int fd = socket(use_tcp ? AF_INET : AF_SMC, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { conns[i].state = 3; conns[i].err = errno; return -1; }
    return conns[i].fd = fd;
}

static int start_connect(struct sockaddr_in *to, int use_tcp, int ep, int i) {
    int fd = conns[i].fd > 0 ? conns[i].fd : new_socket(use_tcp, i);
    if (fd < 0) return -1;
    int rc = connect(fd, (struct sockaddr *)to, sizeof *to);
    if (rc == 0) { conns[i].state = 2; return 0; }
    if (errno != EINPROGRESS) { conns[i].state = 3; conns[i].err = errno; return -1; }
    conns[i].state = 1;
    struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = (uint32_t)i };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return 1;
}

static void connect_all(struct sockaddr_in *to, int use_tcp, int window) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event evs[512];
    int next = 0, inflight = 0, ok = 0, failed = 0;
    /* a burst: every socket first (an AF_SMC socket costs far more than a non-blocking connect), so
     * the connects then come faster than the kernel's handshake workers finish them */
    if (window >= n_conns)
        for (int i = 0; i < n_conns; i++) new_socket(use_tcp, i);
    double t0 = now_s(), last = t0;
    while (ok + failed < n_conns) {
        while (next < n_conns && inflight < window) {
            int r = start_connect(to, use_tcp, ep, next++);
            if (r == 1) inflight++; else if (r == 0) ok++; else failed++;
        }
        if (inflight == 0) continue;
        int k = epoll_wait(ep, evs, 512, 1000);
        if (k == 0 && now_s() - last > STALL_SECONDS) break;
        for (int e = 0; e < k; e++) {
            int i = (int)evs[e].data.u32;
            int err = 0; socklen_t len = sizeof err;
            getsockopt(conns[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
            epoll_ctl(ep, EPOLL_CTL_DEL, conns[i].fd, NULL);
            inflight--;
            last = now_s();
            if (err) { conns[i].state = 3; conns[i].err = err; failed++; } else { conns[i].state = 2; ok++; }
        }
    }
    close(ep);
    int first_err = 0;
    for (int i = 0; i < n_conns && !first_err; i++) if (conns[i].state == 3) first_err = conns[i].err;
    printf("CONNECTED ok=%d failed=%d pending=%d seconds=%.1f first_error=%s\n", ok, failed,
           n_conns - ok - failed, now_s() - t0, first_err ? strerror(first_err) : "none");
    fflush(stdout);
}

static void echo_all(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    unsigned char out[payload];
    int open = 0;
    for (int i = 0; i < n_conns; i++) {
        if (conns[i].state != 2) continue;
        conns[i].back = calloc(1, payload);
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
        open++;
    }
    int ok = 0, bad = 0, lost = 0;
    double t0 = now_s(), last = t0;
    struct epoll_event evs[512];
    while (ok + bad + lost < open) {
        int k = epoll_wait(ep, evs, 512, 1000);
        if (k == 0 && now_s() - last > STALL_SECONDS) break;
        for (int e = 0; e < k; e++) {
            int i = (int)evs[e].data.u32;
            struct conn *c = &conns[i];
            if ((evs[e].events & EPOLLOUT) && c->sent < (size_t)payload) {
                expected(i, out);
                ssize_t w = write(c->fd, out + c->sent, payload - c->sent);
                if (w > 0) c->sent += w;
                else if (w < 0 && errno != EAGAIN) { c->state = 5; lost++; epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); continue; }
                if (c->sent == (size_t)payload) {
                    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r = read(c->fd, c->back + c->got, payload - c->got);
                if (r > 0) c->got += r;
                if (r == 0 || (r < 0 && errno != EAGAIN)) { c->state = 5; lost++; epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); continue; }
                if (c->got == (size_t)payload) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                    last = now_s();
                    if (intact(i)) { c->state = 4; ok++; } else { c->state = 5; bad++; }
                }
            }
        }
    }
    close(ep);
    printf("ECHOED ok=%d bad=%d lost=%d missing=%d bytes_each=%d seconds=%.1f\n", ok, bad, lost,
           open - ok - bad - lost, payload, now_s() - t0);
    fflush(stdout);
}

/* smc_diag dump (layouts: shared/kernel-lab/smc-uapi.md): every ACTIVE SMC socket of this kernel, by
 * side, mode and fallback reason. Reply: family, state, mode, shutdown, inet_diag_sockid (sport and
 * dport big-endian at bytes 4-7), ...; the 64-byte message is followed by rtattrs, SMC_DIAG_FALLBACK=5
 * carrying u32 reason and u32 peer diagnosis. */
struct tally { int side, mode; unsigned reason, peer; long count; };

static void diag(int port) {
    static struct tally t[64];
    int nt = 0;
    long other_states = 0;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    struct { struct nlmsghdr h; unsigned char req[52]; } msg = {0};
    msg.h.nlmsg_len = sizeof msg;
    msg.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.req[0] = AF_SMC;
    msg.req[3] = 1 << (5 - 1);
    if (fd < 0 || send(fd, &msg, sizeof msg, 0) < 0) { printf("DIAG unavailable errno=%d\n", errno); return; }
    static char buf[1 << 17];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) { printf("DIAG unavailable errno=%d\n", errno); close(fd); return; }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) goto done;
            if (h->nlmsg_type == NLMSG_ERROR) { printf("DIAG unavailable (NLMSG_ERROR)\n"); close(fd); return; }
            unsigned char *m = NLMSG_DATA(h);
            if (m[1] != 1) { other_states++; continue; } /* 1 = SMC_ACTIVE; listeners and closing ends aside */
            int sport = (m[4] << 8) | m[5], dport = (m[6] << 8) | m[7];
            int side = sport == port ? 0 : dport == port ? 1 : 2;
            unsigned reason = 0, peer = 0;
            int alen = h->nlmsg_len - NLMSG_LENGTH(64);
            for (struct rtattr *a = (struct rtattr *)(m + 64); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
                if (a->rta_type == 5 && RTA_PAYLOAD(a) >= 8) { memcpy(&reason, RTA_DATA(a), 4); memcpy(&peer, (char *)RTA_DATA(a) + 4, 4); }
            int j = 0;
            while (j < nt && !(t[j].side == side && t[j].mode == m[2] && t[j].reason == reason && t[j].peer == peer)) j++;
            if (j == nt) {
                if (nt == 64) continue;
                t[nt++] = (struct tally){ side, m[2], reason, peer, 0 };
            }
            t[j].count++;
        }
    }
done:
    close(fd);
    static const char *sides[] = { "server", "client", "other" };
    static const char *modes[] = { "SMCR", "FALLBACK_TCP", "SMCD" };
    for (int j = 0; j < nt; j++)
        printf("DIAG side=%s mode=%s reason=0x%08x peer=0x%08x count=%ld\n", sides[t[j].side],
               t[j].mode <= 2 ? modes[t[j].mode] : "OTHER", t[j].reason, t[j].peer, t[j].count);
    printf("DIAG not_active=%ld\n", other_states);
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: holdecho HOST PORT N WINDOW PAYLOAD [--tcp]\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int port = atoi(argv[2]), window = atoi(argv[4]);
    n_conns = atoi(argv[3]);
    payload = atoi(argv[5]);
    int use_tcp = argc > 6 && !strcmp(argv[6], "--tcp");
    if (n_conns < 1 || window < 1 || payload <= CHECKSUM_BYTES || payload > 65536) {
        fprintf(stderr, "holdecho: N and WINDOW must be >= 1, PAYLOAD in %d..65536\n", CHECKSUM_BYTES + 1);
        return 2;
    }
    raise_nofile(n_conns);
    conns = calloc(n_conns, sizeof *conns);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) { fprintf(stderr, "holdecho: HOST must be an IPv4 literal\n"); return 2; }

    connect_all(&to, use_tcp, window);
    echo_all();
    diag(port);
    printf("READY\n");
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {} /* held until the test is done with the peak */
    int echoed = 0;
    for (int i = 0; i < n_conns; i++) {
        if (conns[i].state == 4) echoed++;
        if (conns[i].fd > 0) close(conns[i].fd);
    }
    printf("CLOSED echoed=%d of %d\n", echoed, n_conns);
    return echoed == n_conns ? 0 : 1;
}
