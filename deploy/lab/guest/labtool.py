#!/usr/bin/python3
"""labtool: reads and sets the kernel's SMC state for the smc-vertx lab (no smc-tools needed).

  labtool.py ueid show|add NAME|del NAME|flush     UEID table (SMC_GEN_NETLINK generic netlink)
  labtool.py seid show|enable|disable              the SEID and its switch (IBM Z; refused elsewhere)
  labtool.py pnet add PNETID (--eth IF | --ib DEV [--port N])   one PNET table entry (SMC_PNETID)
  labtool.py diag [--json]                         AF_SMC sockets as the kernel reports them (smc_diag)
  labtool.py selftest [--bytes N] [--junit FILE]   proves SMC-D over loopback-ISM and the no-UEID fallback
                                                   (on IBM Z: SMC-D with the SEID alone, and the SEID switch)
  labtool.py serve HOST PORT [--expect MODE]       AF_SMC server for one connection (two-guest tests)
  labtool.py connect HOST PORT [--expect MODE]     AF_SMC client, retries until the server listens

Every verdict comes from the kernel (smc_diag over NETLINK_SOCK_DIAG), never from what was asked for.
Exit code 0 = as expected, 1 = the kernel said otherwise, 2 = usage or environment error.
"""
import argparse
import ctypes
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time
from xml.sax.saxutils import escape, quoteattr

AF_SMC = 43
NETLINK_SOCK_DIAG, NETLINK_GENERIC = 4, 16
SOCK_DIAG_BY_FAMILY = 20
GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 16, 3, 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSG_HDR = struct.Struct("=IHHII")
NLA_HDR = struct.Struct("=HH")

# SMC_GEN_NETLINK commands and attributes (include/uapi/linux/smc.h)
SMC_GENL = "SMC_GEN_NETLINK"
CMD_GET_LGR_SMCD, CMD_DUMP_UEID, CMD_ADD_UEID, CMD_REMOVE_UEID, CMD_FLUSH_UEID = 4, 9, 10, 11, 12
CMD_DUMP_SEID, CMD_ENABLE_SEID, CMD_DISABLE_SEID = 13, 14, 15
NLA_EID_TABLE_ENTRY = 1
NLA_SEID_ENTRY, NLA_SEID_ENABLED = 1, 2
NLA_LGR_D_V2_COMMON, NLA_LGR_V2_NEG_EID = 9, 3
GEN_LGR_SMCD, NLA_LGR_D_CHID = 4, 7
SMC_MAX_EID_LEN = 32

# smc_diag (include/uapi/linux/smc_diag.h)
DIAG_CONNINFO, DIAG_LGRINFO, DIAG_SHUTDOWN, DIAG_DMBINFO, DIAG_FALLBACK = 1, 2, 3, 4, 5
MODE = {0: "SMCR", 1: "FALLBACK_TCP", 2: "SMCD"}
STATE = {1: "ACTIVE", 2: "INIT", 7: "CLOSED", 10: "LISTEN", 20: "PEERCLOSEWAIT1", 21: "PEERCLOSEWAIT2",
         22: "APPCLOSEWAIT1", 23: "APPCLOSEWAIT2", 24: "APPFINCLOSEWAIT", 25: "PEERFINCLOSEWAIT",
         26: "PEERABORTWAIT", 27: "PROCESSABORT"}
DECLINE = {0x03030000: "NOSMCDEV", 0x03030001: "NOSMCDDEV", 0x03030002: "NOSMCRDEV",
           0x03030007: "NOSMCD2DEV", 0x03030008: "NOUEID", 0x03010000: "PEERNOSMC",
           0x02010000: "TIMEOUT_CL", 0x03040000: "MODEUNSUPP", 0x030c0000: "VERSMISMAT",
           0x030e0000: "NOROUTE", 0x05000000: "PEERDECL", 0x09990000: "INTERR"}
NOUEID, PEERDECL = 0x03030008, 0x05000000

# SMC_PNETID generic netlink (include/uapi/linux/smc.h): the PNET table
PNET_GENL, PNET_CMD_ADD = "SMC_PNETID", 2
PNET_NAME, PNET_ETHNAME, PNET_IBNAME, PNET_IBPORT = 1, 2, 3, 4

LAB_UEID = "SMCVERTX-LAB"


class LabError(Exception):
    """The environment is not what the tool needs (module missing, no permission)."""


def code(value):
    """0x03030008(NOUEID): the kernel's number first, our name for it second."""
    return "0x%08x(%s)" % (value, DECLINE.get(value, "?")) if value else "0"


# ------------------------------------------------------------------ netlink
def nla(typ, payload):
    raw = NLA_HDR.pack(NLA_HDR.size + len(payload), typ) + payload
    return raw + b"\0" * (-len(raw) % 4)


def parse_nla(buf, off=0):
    out = {}
    while off + NLA_HDR.size <= len(buf):
        length, typ = NLA_HDR.unpack_from(buf, off)
        if length < NLA_HDR.size:
            break
        out.setdefault(typ & 0x3FFF, []).append(buf[off + NLA_HDR.size:off + length])
        off += (length + 3) & ~3
    return out


def netlink(proto, msg_type, flags, payload):
    """Sends one request, returns the bodies of all answers; raises OSError on a kernel error."""
    seq = int(time.monotonic() * 1000) & 0x7FFFFFFF
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto) as s:
        s.bind((0, 0))
        s.send(NLMSG_HDR.pack(NLMSG_HDR.size + len(payload), msg_type, flags, seq, 0) + payload)
        bodies = []
        while True:
            data = s.recv(1 << 20)
            off = 0
            while off + NLMSG_HDR.size <= len(data):
                length, typ, _fl, rseq, _pid = NLMSG_HDR.unpack_from(data, off)
                body = data[off + NLMSG_HDR.size:off + length]
                off += (length + 3) & ~3
                if rseq != seq:
                    continue
                if typ == NLMSG_DONE:
                    return bodies
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", body)[0]
                    if err:
                        raise OSError(-err, "netlink: " + os.strerror(-err))
                    return bodies
                bodies.append((typ, body))
            if not flags & NLM_F_DUMP and not flags & NLM_F_ACK:
                return bodies


def genl_family_id(name):
    req = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    try:
        answers = netlink(NETLINK_GENERIC, GENL_ID_CTRL, NLM_F_REQUEST, req)
    except OSError as e:
        raise LabError("generic netlink family %s not found (is smc loaded?): %s" % (name, e))
    for _typ, body in answers:
        fid = parse_nla(body, 4).get(CTRL_ATTR_FAMILY_ID)
        if fid:
            return struct.unpack("=H", fid[0][:2])[0]
    raise LabError("generic netlink family %s not found (is smc loaded?)" % name)


def smc_genl(cmd, attrs=b"", dump=False, family=SMC_GENL):
    flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
    return [parse_nla(body, 4) for _t, body in
            netlink(NETLINK_GENERIC, genl_family_id(family), flags, struct.pack("=BBH", cmd, 1, 0) + attrs)]


def pnet_add(pnetid, eth=None, ib=None, port=1):
    """One PNET table entry: a net device, or an RDMA/ISM device and port, under PNETID (smcctl pnet add
    does the same from the JVM; a guest script has no JVM start to spare)."""
    attrs = nla(PNET_NAME, pnetid.upper().encode() + b"\0")
    if eth:
        attrs += nla(PNET_ETHNAME, eth.encode() + b"\0")
    if ib:
        attrs += nla(PNET_IBNAME, ib.encode() + b"\0") + nla(PNET_IBPORT, bytes([port]))
    smc_genl(PNET_CMD_ADD, attrs, family=PNET_GENL)


# ------------------------------------------------------------------ UEID table
def ueid_norm(name):
    name = name.strip().upper()
    if not name or len(name) > SMC_MAX_EID_LEN:
        raise ValueError("`ueid` must be 1..%d characters, got %r" % (SMC_MAX_EID_LEN, name))
    return name


def ueid_entry(name):
    # the kernel keeps UEIDs blank-padded to 32 bytes and compares them that way
    return nla(NLA_EID_TABLE_ENTRY, ueid_norm(name).ljust(SMC_MAX_EID_LEN).encode() + b"\0")


def ueid_show():
    names = []
    for msg in smc_genl(CMD_DUMP_UEID, dump=True):
        for raw in msg.get(NLA_EID_TABLE_ENTRY, []):
            names.append(raw.split(b"\0")[0].decode().rstrip())
    return names


def ueid_add(name):
    if ueid_norm(name) not in ueid_show():
        smc_genl(CMD_ADD_UEID, ueid_entry(name))


def ueid_del(name):
    smc_genl(CMD_REMOVE_UEID, ueid_entry(name))


def ueid_flush():
    smc_genl(CMD_FLUSH_UEID)


# ------------------------------------------------------------------ SEID
def seid_show():
    """(seid, enabled) as the kernel reports them; seid is "" where it has none (every non-s390 host)."""
    for msg in smc_genl(CMD_DUMP_SEID, dump=True):
        if NLA_SEID_ENABLED in msg:
            raw = msg.get(NLA_SEID_ENTRY, [b""])[0]
            return raw.split(b"\0")[0].decode().strip(), msg[NLA_SEID_ENABLED][0][0] != 0
    return "", False


def seid_set(enabled):
    smc_genl(CMD_ENABLE_SEID if enabled else CMD_DISABLE_SEID)


# ------------------------------------------------------------------ smc_diag
def _ip(raw16):
    if raw16[4:] == bytes(12):
        return socket.inet_ntop(socket.AF_INET, raw16[:4])
    return socket.inet_ntop(socket.AF_INET6, raw16)


def diag():
    """All AF_SMC sockets of this netns as dicts (smc_diag_msg + extensions)."""
    ext = (1 << (DIAG_CONNINFO - 1)) | (1 << (DIAG_LGRINFO - 1)) | (1 << (DIAG_DMBINFO - 1))
    req = struct.pack("=BBBB", AF_SMC, 0, 0, ext) + bytes(48)     # struct smc_diag_req
    try:
        answers = netlink(NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, req)
    except OSError as e:
        raise LabError("smc_diag dump failed (is smc_diag loaded?): %s" % e)
    socks = []
    for _typ, body in answers:
        _fam, state, mode, _shut = struct.unpack_from("=BBBB", body, 0)
        sport, dport = struct.unpack_from("!HH", body, 4)
        uid, inode = struct.unpack_from("=IQ", body, 52)
        d = {"state": STATE.get(state, state), "mode": MODE.get(mode, mode),
             "local": "%s:%d" % (_ip(body[8:24]), sport), "peer": "%s:%d" % (_ip(body[24:40]), dport),
             "lport": sport, "pport": dport, "uid": uid, "inode": inode}
        a = parse_nla(body, 64)
        if DIAG_FALLBACK in a:
            reason, peer = struct.unpack_from("=II", a[DIAG_FALLBACK][0])
            d["fallback_reason"], d["peer_diagnosis"] = reason, peer
        if DIAG_CONNINFO in a:
            token, sndbuf, rmbe, peer_rmbe = struct.unpack_from("=IIII", a[DIAG_CONNINFO][0])
            d["conn"] = {"token": token, "sndbuf": sndbuf, "rmbe": rmbe, "peer_rmbe": peer_rmbe}
        if DIAG_DMBINFO in a:
            _link, peer_gid, my_gid, token = struct.unpack_from("=I4xQQQ", a[DIAG_DMBINFO][0])
            d["smcd"] = {"my_gid": "%016x" % my_gid, "peer_gid": "%016x" % peer_gid, "token": "%x" % token}
        if DIAG_LGRINFO in a:
            v = a[DIAG_LGRINFO][0]
            d["smcr"] = {"link_id": v[0], "ibdev": v[1:65].split(b"\0")[0].decode(), "ibport": v[65],
                         "gid": v[66:106].split(b"\0")[0].decode(errors="replace")}
        socks.append(d)
    return socks


def fmt(d):
    s = "%-12s %-6s local %-21s peer %-21s" % (d["mode"], d["state"], d["local"], d["peer"])
    if "fallback_reason" in d and (d["fallback_reason"] or d["peer_diagnosis"]):
        s += " fallback %s peer_diagnosis %s" % (code(d["fallback_reason"]), code(d["peer_diagnosis"]))
    if "smcd" in d:
        s += " gid %s" % d["smcd"]["my_gid"]
    if "smcr" in d:
        s += " ibdev %s/%d" % (d["smcr"]["ibdev"], d["smcr"]["ibport"])
    return s


def smcd_lgr_eids():
    """The EID each SMC-D link group negotiated (SMC-Dv2: the SEID or a common UEID)."""
    out = []
    for msg in smc_genl(CMD_GET_LGR_SMCD, dump=True):
        for raw in msg.get(GEN_LGR_SMCD, []):
            v2 = parse_nla(raw).get(NLA_LGR_D_V2_COMMON)
            if v2:
                eid = parse_nla(v2[0]).get(NLA_LGR_V2_NEG_EID, [b""])[0]
                out.append(eid.split(b"\0")[0].decode().strip())
    return out


def smcd_lgr_chids():
    # the kernel sends the CHID as a u32 (nla_put_u32): reading two bytes gives 0 on big-endian s390x
    return [int.from_bytes(nest[NLA_LGR_D_CHID][0], sys.byteorder)
            for msg in smc_genl(CMD_GET_LGR_SMCD, dump=True)
            for raw in msg.get(GEN_LGR_SMCD, []) for nest in [parse_nla(raw)] if NLA_LGR_D_CHID in nest]


# ------------------------------------------------------------------ AF_SMC sockets
_libc = ctypes.CDLL(None, use_errno=True)


def _sockaddr_in(host, port):
    return ctypes.create_string_buffer(struct.pack("=H", socket.AF_INET) + struct.pack("!H", port)
                                       + socket.inet_aton(host) + bytes(8), 16)


def _check(rc):
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc


def smc_socket():
    # AF_SMC with protocol 0 = SMCPROTO_SMC (IPv4); python cannot build AF_SMC addresses itself
    return socket.socket(AF_SMC, socket.SOCK_STREAM, 0)


def smc_bind(s, host, port):
    _check(_libc.bind(s.fileno(), _sockaddr_in(host, port), 16))


def smc_connect(s, host, port):
    _check(_libc.connect(s.fileno(), _sockaddr_in(host, port), 16))


def smc_accept(s):
    return socket.socket(fileno=_check(_libc.accept(s.fileno(), None, None)))


def smc_port(s):
    buf, ln = ctypes.create_string_buffer(16), ctypes.c_uint32(16)
    _check(_libc.getsockname(s.fileno(), buf, ctypes.byref(ln)))
    return struct.unpack_from("!H", buf.raw, 2)[0]


def recv_exact(s, n):
    parts, got = [], 0
    while got < n:
        b = s.recv(min(1 << 16, n - got))
        if not b:
            break
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def payload(nbytes):
    block = hashlib.sha256(b"smc-vertx lab").digest() * 2048      # 64 KiB, not all one byte
    return (block * (nbytes // len(block) + 1))[:nbytes]


def ends_of(port):
    """(server end, client end) of the connection to `port`, as smc_diag reports them."""
    socks = diag()
    srv = [d for d in socks if d["lport"] == port and d["state"] != "LISTEN"]
    cli = [d for d in socks if d["pport"] == port and d["state"] != "LISTEN"]
    return (srv[0] if srv else None), (cli[0] if cli else None)


def loopback_pair(nbytes):
    """AF_SMC listener + client on 127.0.0.1; moves nbytes, checks them, returns both ends' diag."""
    data = payload(nbytes)
    lsn = smc_socket()
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    smc_bind(lsn, "127.0.0.1", 0)
    lsn.listen(4)
    port = smc_port(lsn)
    done, result = threading.Event(), {}

    def serve():
        try:
            c = smc_accept(lsn)
            got = recv_exact(c, nbytes)
            c.sendall(hashlib.sha256(got).digest())
            done.wait(60)
            c.close()
        except Exception as e:  # reported by the main thread
            result["error"] = e

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    cli = smc_socket()
    try:
        t0 = time.monotonic()
        smc_connect(cli, "127.0.0.1", port)
        connect_ms = (time.monotonic() - t0) * 1e3
        cli.sendall(data)
        echoed = recv_exact(cli, 32)
        if echoed != hashlib.sha256(data).digest():
            raise AssertionError("the server received other bytes than the client sent (%s)" % result)
        srv_end, cli_end = ends_of(port)          # while both ends are still open
    finally:
        done.set()
        th.join(10)
        cli.close()
        lsn.close()
    print("  port %d: moved %d bytes, connect %.1f ms" % (port, nbytes, connect_ms))
    for label, d in (("server", srv_end), ("client", cli_end)):
        print("  %s: %s" % (label, fmt(d) if d else "NOT in smc_diag"))
    if srv_end is None or cli_end is None:
        raise AssertionError("smc_diag does not list both ends of port %d" % port)
    return srv_end, cli_end


# ------------------------------------------------------------------ selftest
def check_smcd(nbytes):
    srv, cli = loopback_pair(nbytes)
    for label, d in (("server", srv), ("client", cli)):
        if d["mode"] != "SMCD":
            raise AssertionError("%s end is %s, expected SMCD (fallback %s, peer diagnosis %s)" % (
                label, d["mode"], code(d.get("fallback_reason", 0)), code(d.get("peer_diagnosis", 0))))
    chids = smcd_lgr_chids()
    print("  SMC-D link groups (CHID 0xffff = loopback-ISM): %s" % ", ".join("0x%04x" % c for c in chids))


def check_no_ueid_fallback(nbytes):
    srv, cli = loopback_pair(nbytes)
    ends = (("server", srv), ("client", cli))
    for label, d in ends:
        if d["mode"] != "FALLBACK_TCP":
            raise AssertionError("%s end is %s without a UEID, expected FALLBACK_TCP" % (label, d["mode"]))
    nouid = [label for label, d in ends if d["fallback_reason"] == NOUEID]
    if not nouid:
        raise AssertionError("no end reports fallback reason %s; the kernel said server %s, client %s" % (
            code(NOUEID), code(srv["fallback_reason"]), code(cli["fallback_reason"])))
    for label, d in ends:
        if label not in nouid:
            seen = "%s with peer diagnosis %s" % (code(d["fallback_reason"]), code(d["peer_diagnosis"]))
            print("  %s end: %s (%s)" % (label, seen, "as expected" if d["fallback_reason"] == PEERDECL
                                          and d["peer_diagnosis"] == NOUEID else "noted"))
            if not d["fallback_reason"]:
                raise AssertionError("%s end fell back without a reason" % label)


def selftest(nbytes, junit):
    cases = []

    def case(name, fn):
        print("selftest: %s" % name)
        t0 = time.monotonic()
        try:
            fn()
            err = None
            print("selftest: %s: PASS" % name)
        except (AssertionError, OSError, LabError) as e:
            err = "%s: %s" % (type(e).__name__, e)
            print("selftest: %s: FAIL: %s" % (name, err))
        cases.append((name, time.monotonic() - t0, err))
        return err is None

    try:
        saved = ueid_show()
        print("selftest: UEIDs before: %s" % (saved or "none"))
    except (LabError, OSError) as e:
        saved = None                 # each case below fails on its own and says why
        print("selftest: cannot read the UEID table: %s" % e)

    def with_ueid():
        ueid_add(LAB_UEID)
        check_smcd(nbytes)

    def without_ueid():
        ueid_flush()
        if ueid_show():
            raise AssertionError("UEID table not empty after flush: %s" % ueid_show())
        check_no_ueid_fallback(nbytes)

    def seid_alone():
        ueid_flush()
        seid, enabled = seid_show()
        print("  SEID %r, enabled %s, UEIDs %s" % (seid, enabled, ueid_show() or "none"))
        if not seid or not enabled:
            raise AssertionError("the kernel reports no enabled SEID (%r, %s)" % (seid, enabled))
        check_smcd(nbytes)
        eids = smcd_lgr_eids()
        print("  negotiated EIDs of the SMC-D link groups: %s" % eids)
        if seid not in eids:
            raise AssertionError("no SMC-D link group negotiated the SEID %s: %s" % (seid, eids))

    def seid_switch():
        try:
            seid_set(False)
            raise AssertionError("the kernel disabled the SEID although no UEID is configured")
        except OSError as e:
            if e.errno != 2:
                raise AssertionError("disabling the SEID without a UEID failed with errno %d, expected ENOENT" % e.errno)
            print("  disable without a UEID: refused with ENOENT, as the kernel documents")
        ueid_add(LAB_UEID)
        seid_set(False)
        seid, enabled = seid_show()
        print("  with UEID %s: SEID %r enabled %s" % (LAB_UEID, seid, enabled))
        if enabled:
            raise AssertionError("the SEID is still enabled after disable")
        check_smcd(nbytes)
        seid_set(True)
        if not seid_show()[1]:
            raise AssertionError("the SEID is not enabled again after enable")

    try:
        ibm_z = bool(seid_show()[1])
    except (LabError, OSError) as e:
        ibm_z = False                # the cases below fail on their own and say why
        print("selftest: cannot read the SEID: %s" % e)
    try:
        if ibm_z:
            # IBM Z: the kernel offers the machine's SEID, so SMC-Dv2 needs no UEID
            case("smcd_over_loopback_ism_with_seid_alone", seid_alone)
            case("seid_switch_needs_a_ueid", seid_switch)
        else:
            case("smcd_over_loopback_ism_with_ueid", with_ueid)
            case("tcp_fallback_0x03030008_without_ueid", without_ueid)
    finally:
        try:
            if seid_show()[0]:
                seid_set(True)
            ueid_flush()
            for name in (saved if saved is not None else [LAB_UEID]):
                ueid_add(name)
            print("selftest: UEIDs restored: %s" % ueid_show())
        except (LabError, OSError) as e:
            print("selftest: cannot restore the UEID table: %s" % e)
    if junit:
        write_junit(junit, "lab.selftest.LabKernelSelfTest", cases)
    failed = [c for c in cases if c[2]]
    print("selftest: %d passed, %d failed" % (len(cases) - len(failed), len(failed)))
    return 1 if failed else 0


def write_junit(path, suite, cases):
    fails = sum(1 for c in cases if c[2])
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<testsuite name=%s tests="%d" failures="%d" errors="0" skipped="0" time="%.3f">' % (
                 quoteattr(suite), len(cases), fails, sum(c[1] for c in cases))]
    for name, secs, err in cases:
        lines.append('  <testcase classname=%s name=%s time="%.3f">' % (quoteattr(suite), quoteattr(name), secs))
        if err:
            lines.append('    <failure message=%s>%s</failure>' % (quoteattr(err), escape(err)))
        lines.append('  </testcase>')
    lines.append('</testsuite>')
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------ two guests
def expect_mode(label, d, expect):
    print("%s: %s" % (label, fmt(d) if d else "NOT in smc_diag"))
    if expect and (d is None or d["mode"] != expect):
        print("%s: FAIL: this kernel says %s, expected %s" % (label, d["mode"] if d else "nothing", expect))
        return 1
    return 0


def serve(host, port, nbytes, expect):
    lsn = smc_socket()
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    smc_bind(lsn, host, port)
    lsn.listen(4)
    print("serve: listening on %s:%d (AF_SMC)" % (host, port), flush=True)
    c = smc_accept(lsn)
    got = recv_exact(c, nbytes)
    mine = [d for d in diag() if d["lport"] == port and d["state"] != "LISTEN"]
    rc = expect_mode("serve", mine[0] if mine else None, expect)
    c.sendall(hashlib.sha256(got).digest() + (mine[0]["mode"] if mine else "NONE").encode().ljust(16))
    recv_exact(c, 1)          # the client closes after it has read its own diag
    c.close()
    lsn.close()
    print("serve: received %d bytes" % len(got))
    return rc if len(got) == nbytes else 1


def connect(host, port, nbytes, expect, wait_s):
    data = payload(nbytes)
    deadline = time.monotonic() + wait_s
    while True:
        cli = smc_socket()
        try:
            t0 = time.monotonic()
            smc_connect(cli, host, port)
            break
        except OSError as e:
            cli.close()
            if time.monotonic() > deadline:
                print("connect: %s:%d still fails after %d s: %s" % (host, port, wait_s, e))
                return 1
            time.sleep(1)
    print("connect: connected to %s:%d in %.1f ms" % (host, port, (time.monotonic() - t0) * 1e3), flush=True)
    cli.sendall(data)
    answer = recv_exact(cli, 48)
    mine = [d for d in diag() if d["pport"] == port and d["state"] != "LISTEN"]
    rc = expect_mode("connect", mine[0] if mine else None, expect)
    print("connect: the server's kernel says %s" % answer[32:].decode().strip())
    cli.close()
    if answer[:32] != hashlib.sha256(data).digest():
        print("connect: FAIL: the server received other bytes than were sent")
        return 1
    return rc


# ------------------------------------------------------------------ CLI
# ------------------------------------------------------------------ ethtool pause (netlink, no ethtool binary)
ETHTOOL_MSG_PAUSE_GET, ETHTOOL_MSG_PAUSE_SET = 21, 22
ETHTOOL_A_PAUSE_HEADER, ETHTOOL_A_PAUSE_AUTONEG, ETHTOOL_A_PAUSE_RX, ETHTOOL_A_PAUSE_TX = 1, 2, 3, 4
ETHTOOL_A_HEADER_DEV_NAME = 2


def pause(ifname, rx=None, tx=None):
    """ethtool -a IF (rx/tx None) or ethtool -A IF rx .. tx .. autoneg off, over the ethtool genl family."""
    fid = genl_family_id("ethtool")
    attrs = nla(ETHTOOL_A_PAUSE_HEADER | 0x8000, nla(ETHTOOL_A_HEADER_DEV_NAME, ifname.encode() + b"\0"))
    if rx is not None:
        attrs += nla(ETHTOOL_A_PAUSE_AUTONEG, b"\0") + nla(ETHTOOL_A_PAUSE_RX, bytes([rx])) + nla(ETHTOOL_A_PAUSE_TX, bytes([tx]))
        netlink(NETLINK_GENERIC, fid, NLM_F_REQUEST | NLM_F_ACK, struct.pack("=BBH", ETHTOOL_MSG_PAUSE_SET, 1, 0) + attrs)
    answers = netlink(NETLINK_GENERIC, fid, NLM_F_REQUEST | NLM_F_ACK, struct.pack("=BBH", ETHTOOL_MSG_PAUSE_GET, 1, 0)
                      + nla(ETHTOOL_A_PAUSE_HEADER | 0x8000, nla(ETHTOOL_A_HEADER_DEV_NAME, ifname.encode() + b"\0")))
    for _t, body in answers:
        a = parse_nla(body, 4)
        if ETHTOOL_A_PAUSE_RX in a:
            flag = lambda k: "on" if a.get(k, [b"\0"])[0][0] else "off"
            return "%s: autoneg %s rx %s tx %s" % (ifname, flag(ETHTOOL_A_PAUSE_AUTONEG), flag(ETHTOOL_A_PAUSE_RX),
                                                   flag(ETHTOOL_A_PAUSE_TX))
    raise LabError("no pause attributes in the reply for " + ifname)


def main(argv):
    p = argparse.ArgumentParser(prog="labtool.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("ueid")
    u.add_argument("op", choices=["show", "add", "del", "flush"])
    u.add_argument("name", nargs="?")
    se = sub.add_parser("seid")
    se.add_argument("op", choices=["show", "enable", "disable"])
    pn = sub.add_parser("pnet")
    pn.add_argument("op", choices=["add"])
    pn.add_argument("pnetid")
    pn.add_argument("--eth")
    pn.add_argument("--ib")
    pn.add_argument("--port", type=int, default=1)
    d = sub.add_parser("diag")
    d.add_argument("--json", action="store_true")
    st = sub.add_parser("selftest")
    st.add_argument("--bytes", type=int, default=1 << 20)
    st.add_argument("--junit")
    for name in ("serve", "connect"):
        sp = sub.add_parser(name)
        sp.add_argument("host")
        sp.add_argument("port", type=int)
        sp.add_argument("--bytes", type=int, default=1 << 20)
        sp.add_argument("--expect", choices=["SMCD", "SMCR", "FALLBACK_TCP"])
        sp.add_argument("--wait", type=int, default=180, help="connect: seconds to retry")
    pp = sub.add_parser("pause", help="show or set an interface's pause frames (ethtool netlink)")
    pp.add_argument("ifname")
    pp.add_argument("--set", choices=["on", "off"], help="rx and tx both on or off")
    a = p.parse_args(argv)
    try:
        if a.cmd == "pause":
            on = None if a.set is None else (1 if a.set == "on" else 0)
            print(pause(a.ifname, on, on))
            return 0
        if a.cmd == "ueid":
            if a.op in ("add", "del") and not a.name:
                p.error("ueid %s needs a NAME" % a.op)
            {"show": lambda: None, "add": lambda: ueid_add(a.name), "del": lambda: ueid_del(a.name),
             "flush": ueid_flush}[a.op]()
            print("\n".join(ueid_show()) if a.op == "show" else "ueid %s ok: %s" % (a.op, ueid_show()))
            return 0
        if a.cmd == "seid":
            if a.op != "show":
                seid_set(a.op == "enable")
            seid, enabled = seid_show()
            print("SEID %s [%s]" % (seid or "n/a", "enabled" if enabled else "disabled"))
            return 0
        if a.cmd == "pnet":
            if bool(a.eth) == bool(a.ib):
                p.error("pnet add needs one of --eth IF or --ib DEV")
            pnet_add(a.pnetid, a.eth, a.ib, a.port)
            print("pnet add ok: %s %s" % (a.pnetid.upper(), a.eth or "%s port %d" % (a.ib, a.port)))
            return 0
        if a.cmd == "diag":
            socks = diag()
            print(json.dumps(socks, indent=1) if a.json else "\n".join(fmt(s) for s in socks))
            return 0
        if a.cmd == "selftest":
            return selftest(a.bytes, a.junit)
        if a.cmd == "serve":
            return serve(a.host, a.port, a.bytes, a.expect)
        return connect(a.host, a.port, a.bytes, a.expect, a.wait)
    except (LabError, OSError, ValueError) as e:
        print("labtool: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
