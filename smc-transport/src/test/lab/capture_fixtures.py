#!/usr/bin/env python3
"""Captures raw netlink replies from a real SMC kernel as test fixtures.

Runs as root in the kernel lab guest (smc + smc_diag loaded, lo up, no UEID configured yet).
On an IBM Z kernel (s390x: big-endian, with a SEID) it captures the IBM Z set instead (main_s390x):
SMC-D with the SEID alone, the SEID switch, and the same dumps as on amd64.
Writes OUTDIR/<name>.bin (the reply datagrams exactly as recv() returned them, concatenated)
and OUTDIR/<name>.json (what an independent observer knows about that reply: sequence number,
socket inodes from fstat, ports, expected modes). The Java codec tests read both.
Deliberately independent of the Java code under test: plain python sockets and struct only.
"""
import ctypes, json, os, platform, socket, struct, sys, threading, time

OUT = sys.argv[1] if __name__ == "__main__" else None
AF_SMC, NETLINK_SOCK_DIAG, NETLINK_GENERIC = 43, 4, 16
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
REQ, ACK, DUMP = 1, 4, 0x300
libc = ctypes.CDLL(None, use_errno=True)
seq_counter = [0x5eed0000]


def nl_exchange(proto, msgtype, flags, payload):
    """One request; returns (seq, raw reply bytes up to and including DONE or ERROR)."""
    seq_counter[0] += 1
    seq = seq_counter[0]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    s.send(struct.pack("=IHHII", 16 + len(payload), msgtype, flags, seq, 0) + payload)
    raw = b""
    done = False
    while not done:
        data = s.recv(1 << 20)
        raw += data
        off = 0
        while off + 16 <= len(data):
            ln, typ, fl, sq, pid = struct.unpack_from("=IHHII", data, off)
            if typ in (2, 3):
                done = True
            off += (ln + 3) & ~3
    s.close()
    return seq, raw


def save(fname, seq, raw, **meta):
    with open(os.path.join(OUT, fname + ".bin"), "wb") as f:
        f.write(raw)
    meta["seq"] = seq
    meta["byteorder"] = sys.byteorder      # netlink is in host order: the decoder must be told
    meta["machine"] = platform.machine()
    meta["kernel"] = platform.release()
    with open(os.path.join(OUT, fname + ".json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    print("captured %s: %d bytes" % (fname, len(raw)), flush=True)


def nla(t, data):
    a = struct.pack("=HH", 4 + len(data), t) + data
    return a + bytes((4 - len(a) % 4) % 4)


def family(name):
    seq, raw = nl_exchange(NETLINK_GENERIC, 0x10, REQ | ACK, struct.pack("=BBH", 3, 1, 0) + nla(2, name.encode() + b"\0"))
    off = 16 + 4
    while off + 4 <= len(raw):
        ln, t = struct.unpack_from("=HH", raw, off)
        if t == 1:
            return seq, raw, struct.unpack_from("=H", raw, off + 4)[0]
        off += (ln + 3) & ~3
    return seq, raw, None


def genl(fid, cmd, flags, attrs=b""):
    return nl_exchange(NETLINK_GENERIC, fid, flags, struct.pack("=BBH", cmd, 1, 0) + attrs)


def diag():
    return nl_exchange(NETLINK_SOCK_DIAG, 20, REQ | DUMP, struct.pack("=BBBB", AF_SMC, 0, 0, 0x0f) + bytes(48))


# ----------------------------------------------------------------- sockets
def sa4(host, port):
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + socket.inet_aton(host) + bytes(8)


def sa6(host, port):
    return struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", port, 0) + socket.inet_pton(socket.AF_INET6, host) + bytes(4)


def call(fn, fd, sa):
    b = ctypes.create_string_buffer(sa, len(sa))
    if fn(fd, b, len(sa)) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def local_port(fd):
    b = ctypes.create_string_buffer(128)
    ln = ctypes.c_uint32(128)
    libc.getsockname(fd, b, ctypes.byref(ln))
    return struct.unpack_from("!H", b.raw, 2)[0]


class Pair:
    """A listener plus one connected client and its accepted peer, kept open while captured."""

    def __init__(self, server_kind, client_kind, v6=False):
        host = "::1" if v6 else "127.0.0.1"
        sa = sa6 if v6 else sa4
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        self.srv = self.mk(server_kind, fam, v6)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        call(libc.bind, self.srv.fileno(), sa(host, 0))
        self.srv.listen(8)
        self.port = local_port(self.srv.fileno())
        self.acc = None
        th = threading.Thread(target=self.accept)
        th.start()
        self.cli = self.mk(client_kind, fam, v6)
        call(libc.connect, self.cli.fileno(), sa(host, self.port))
        th.join(30)
        self.cli.sendall(b"c" * 16384)
        got = 0
        while got < 16384:
            got += len(self.acc.recv(65536))
        self.acc.sendall(b"s" * 4096)
        got = 0
        while got < 4096:
            got += len(self.cli.recv(65536))

    @staticmethod
    def mk(kind, fam, v6):
        if kind == "smc":
            return socket.socket(AF_SMC, socket.SOCK_STREAM, 1 if v6 else 0)
        return socket.socket(fam, socket.SOCK_STREAM, 0)

    def accept(self):
        fd = libc.accept(self.srv.fileno(), None, None)
        self.acc = socket.socket(fileno=fd)

    def meta(self):
        ino = lambda s: os.fstat(s.fileno()).st_ino
        return {"port": self.port, "listen_inode": ino(self.srv), "accepted_inode": ino(self.acc),
                "client_inode": ino(self.cli), "client_port": local_port(self.cli.fileno())}

    def close(self):
        for s in (self.cli, self.acc, self.srv):
            s.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    seq, raw, gen = family("SMC_GEN_NETLINK")
    save("genl_family_smc_gen_netlink", seq, raw, name="SMC_GEN_NETLINK", id=gen)
    seq, raw, pn = family("SMC_PNETID")
    save("genl_family_smc_pnetid", seq, raw, name="SMC_PNETID", id=pn)
    seq, raw, _ = family("SMC_NO_SUCH_FAMILY")   # longer than GENL_NAMSIZ: policy error with extack
    save("genl_family_name_too_long", seq, raw, name="SMC_NO_SUCH_FAMILY", errno=22)
    seq, raw, _ = family("SMC_NOSUCH")
    save("genl_family_missing", seq, raw, name="SMC_NOSUCH", errno=2)

    save("gen_sys_info", *genl(gen, 1, REQ | DUMP), hostname=socket.gethostname())
    save("gen_ueid_dump_empty", *genl(gen, 9, REQ | DUMP), ueids=[])
    save("gen_seid_dump", *genl(gen, 13, REQ | DUMP))
    save("gen_enable_seid_error", *genl(gen, 14, REQ | ACK), errno=95)
    save("gen_hs_limitation_dump", *genl(gen, 16, REQ | DUMP))
    save("gen_dev_smcd", *genl(gen, 5, REQ | DUMP))
    save("gen_dev_smcr", *genl(gen, 6, REQ | DUMP))

    # No UEID: SMC-Dv2 over loopback-ISM is declined with NOUEID by the server.
    p = Pair("smc", "smc")
    save("diag_noueid", *diag(), **p.meta(), server_reason=0x03030008, client_reason=0x05000000,
         client_peer_diagnosis=0x03030008, mode="FALLBACK_TCP")
    p.close()
    # A plain TCP client against an SMC listener: the peer did not offer SMC.
    p = Pair("smc", "tcp")
    m = p.meta()
    m.pop("client_inode")
    save("diag_peernosmc", *diag(), **m, server_reason=0x03010000, mode="FALLBACK_TCP")
    p.close()
    save("gen_fback_stats", *genl(gen, 8, REQ | DUMP), reasons=[0x03030008, 0x03010000])

    save("gen_add_ueid_ack", *genl(gen, 10, REQ | ACK, nla(1, b"SMCVERTX-FIXTURE".ljust(32) + b"\0")), ueid="SMCVERTX-FIXTURE")
    save("gen_add_ueid_too_long_error", *genl(gen, 10, REQ | ACK, nla(1, b"X" * 40 + b"\0")), errno=34)
    save("gen_ueid_dump", *genl(gen, 9, REQ | DUMP), ueids=["SMCVERTX-FIXTURE"])

    p = Pair("smc", "smc")
    save("diag_smcd", *diag(), **p.meta(), mode="SMCD")
    save("gen_lgr_smcd", *genl(gen, 4, REQ | DUMP), chid=0xFFFF)
    save("gen_lgr_smcr", *genl(gen, 2, REQ | DUMP))
    save("gen_link_smcr", *genl(gen, 3, REQ | DUMP))
    p.close()
    p = Pair("smc", "smc", v6=True)
    save("diag_smcd_v6", *diag(), **p.meta(), mode="SMCD")
    p.close()
    save("gen_stats", *genl(gen, 7, REQ | DUMP), smcd_clnt_v2_succ_min=2, smcd_srv_v2_succ_min=2)

    save("pnet_add_ack", *genl(pn, 2, REQ | ACK, nla(1, b"NETFIX1\0") + nla(2, b"lo\0")), pnetid="NETFIX1", eth="lo")
    save("pnet_add_exists_error", *genl(pn, 2, REQ | ACK, nla(1, b"NETFIX2\0") + nla(2, b"lo\0")), errno=17)
    save("pnet_dump", *genl(pn, 1, REQ | DUMP), entries=[{"pnetid": "NETFIX1", "eth": "lo"}])
    save("pnet_del_ack", *genl(pn, 3, REQ | ACK, nla(1, b"NETFIX1\0")))
    save("pnet_del_missing_error", *genl(pn, 3, REQ | ACK, nla(1, b"NETFIX1\0")), errno=2)
    save("gen_remove_ueid_ack", *genl(gen, 11, REQ | ACK, nla(1, b"SMCVERTX-FIXTURE".ljust(32) + b"\0")))


def main_s390x():
    """IBM Z: the kernel derives a SEID from the machine and enables it; no UEID is configured."""
    os.makedirs(OUT, exist_ok=True)
    seq, raw, gen = family("SMC_GEN_NETLINK")
    save("genl_family_smc_gen_netlink", seq, raw, name="SMC_GEN_NETLINK", id=gen)
    seq, raw, pn = family("SMC_PNETID")
    save("genl_family_smc_pnetid", seq, raw, name="SMC_PNETID", id=pn)

    seq, raw = genl(gen, 13, REQ | DUMP)
    seid = seid_of(raw)
    save("gen_seid_dump", seq, raw, seid=seid, enabled=1)
    save("gen_sys_info", *genl(gen, 1, REQ | DUMP), hostname=socket.gethostname(), seid=seid)
    save("gen_ueid_dump_empty", *genl(gen, 9, REQ | DUMP), ueids=[])
    # the kernel keeps the SEID while no UEID could take its place
    save("gen_disable_seid_error", *genl(gen, 15, REQ | ACK), errno=2)
    save("gen_hs_limitation_dump", *genl(gen, 16, REQ | DUMP))
    save("gen_dev_smcd", *genl(gen, 5, REQ | DUMP))

    # SMC-Dv2 with the SEID alone: no UEID on either side
    p = Pair("smc", "smc")
    save("diag_smcd", *diag(), **p.meta(), mode="SMCD")
    save("gen_lgr_smcd", *genl(gen, 4, REQ | DUMP), chid=0xFFFF, negotiated_eid=seid)
    p.close()
    p = Pair("smc", "tcp")
    m = p.meta()
    m.pop("client_inode")
    save("diag_peernosmc", *diag(), **m, server_reason=0x03010000, mode="FALLBACK_TCP")
    p.close()
    p = Pair("smc", "smc", v6=True)
    save("diag_smcd_v6", *diag(), **p.meta(), mode="SMCD")
    p.close()
    save("gen_fback_stats", *genl(gen, 8, REQ | DUMP), reasons=[0x03010000])
    save("gen_stats", *genl(gen, 7, REQ | DUMP), smcd_clnt_v2_succ_min=2, smcd_srv_v2_succ_min=2)

    ueid = nla(1, b"SMCVERTX-FIXTURE".ljust(32) + b"\0")
    save("gen_add_ueid_ack", *genl(gen, 10, REQ | ACK, ueid), ueid="SMCVERTX-FIXTURE")
    save("gen_ueid_dump", *genl(gen, 9, REQ | DUMP), ueids=["SMCVERTX-FIXTURE"])
    save("gen_disable_seid_ack", *genl(gen, 15, REQ | ACK))
    save("gen_seid_dump_disabled", *genl(gen, 13, REQ | DUMP), seid=seid, enabled=0)
    save("gen_enable_seid_ack", *genl(gen, 14, REQ | ACK))
    save("pnet_add_ack", *genl(pn, 2, REQ | ACK, nla(1, b"NETFIX1\0") + nla(2, b"lo\0")), pnetid="NETFIX1", eth="lo")
    save("pnet_dump", *genl(pn, 1, REQ | DUMP), entries=[{"pnetid": "NETFIX1", "eth": "lo"}])
    save("pnet_del_ack", *genl(pn, 3, REQ | ACK, nla(1, b"NETFIX1\0")))
    # removing the last UEID: done, and the kernel says EAGAIN to tell that the SEID is back in use
    save("gen_remove_last_ueid_eagain", *genl(gen, 11, REQ | ACK, ueid), ueid="SMCVERTX-FIXTURE", errno=11)


def seid_of(raw):
    """SMC_NLA_SEID_ENTRY of a DUMP_SEID reply, read with struct alone (host order)."""
    off = 16 + 4
    ln = struct.unpack_from("=I", raw, 0)[0]
    while off + 4 <= ln:
        alen, t = struct.unpack_from("=HH", raw, off)
        if t & 0x3fff == 1:
            return raw[off + 4:off + alen].split(b"\0")[0].decode().strip()
        off += (alen + 3) & ~3
    return ""


if __name__ == "__main__":
    main_s390x() if platform.machine() == "s390x" else main()
