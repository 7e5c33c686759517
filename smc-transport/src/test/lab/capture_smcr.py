#!/usr/bin/env python3
"""Captures SMC-R netlink replies and the RDMA sysfs tree while an SMC-R connection is open.

Run in a lab guest of the two-guest leg (deploy/lab/guest/smcr-jvm.sh) as root, while the JVM
holds its SMC-R connection: capture_smcr.py OUTDIR ROLE. Writes, like capture_fixtures.py,
OUTDIR/<name>.bin (raw reply datagrams) and <name>.json (what this independent observer saw:
the SMCR sockets and their link info decoded here with struct, the device names in sysfs).
"""
import json, os, socket, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capture_fixtures as cf  # noqa: E402  (shared netlink helpers; its main() does not run on import)

OUT, ROLE = sys.argv[1], sys.argv[2]
cf.OUT = OUT


def diag_smcr(raw):
    """(local port, peer port, ibdev, link id) of each SMCR socket in an smc_diag dump."""
    found, off = [], 0
    while off + 16 <= len(raw):
        ln, typ = struct.unpack_from("=IH", raw, off)
        if typ == 20 or typ > 3:
            msg = raw[off + 16:off + ln]
            if len(msg) >= 64 and msg[2] == 0:  # diag_mode SMCR
                sport, dport = struct.unpack_from("!HH", msg, 4)
                a = 64  # attributes follow the 64-byte smc_diag_msg
                ib = None
                while a + 4 <= len(msg):
                    alen, atype = struct.unpack_from("=HH", msg, a)
                    if atype == 2 and alen >= 4 + 147:  # SMC_DIAG_LGRINFO
                        ib = msg[a + 5:a + 5 + 64].split(b"\0")[0].decode()
                        found.append({"local_port": sport, "peer_port": dport, "ibdev": ib,
                                      "link_id": msg[a + 4], "ibport": msg[a + 4 + 65], "role": msg[a + 4 + 146]})
                    if alen < 4:
                        break
                    a += (alen + 3) & ~3
        if ln < 16:
            break
        off += (ln + 3) & ~3
    return found


def sysfs_tree(base="/sys/class/infiniband"):
    """Every readable attribute the RDMA reader uses: path relative to /sys, and its text (or an errno)."""
    rows = {}
    for dev in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        d = os.path.join(base, dev)
        for p in ["parent"]:
            rows["class/infiniband/%s/%s" % (dev, p)] = read(os.path.join(d, p))
        for port in sorted(os.listdir(os.path.join(d, "ports"))):
            pd = os.path.join(d, "ports", port)
            for a in ("state", "link_layer"):
                rows["class/infiniband/%s/ports/%s/%s" % (dev, port, a)] = read(os.path.join(pd, a))
            for i in sorted(os.listdir(os.path.join(pd, "gids")), key=int):
                for sub in ("gids/%s" % i, "gid_attrs/types/%s" % i, "gid_attrs/ndevs/%s" % i):
                    rows["class/infiniband/%s/ports/%s/%s" % (dev, port, sub)] = read(os.path.join(pd, sub))
    return rows


def read(p):
    try:
        with open(p) as f:
            return f.read().strip()
    except OSError as e:
        return "!errno %d" % e.errno


def main():
    os.makedirs(OUT, exist_ok=True)
    _, _, gen = cf.family("SMC_GEN_NETLINK")
    seq, raw = cf.diag()
    socks = diag_smcr(raw)
    cf.save("smcr_diag_" + ROLE, seq, raw, role=ROLE, smcr_sockets=socks, smcr_count=len(socks))
    cf.save("smcr_gen_lgr_" + ROLE, *cf.genl(gen, 2, cf.REQ | cf.DUMP), role=ROLE)
    cf.save("smcr_gen_link_" + ROLE, *cf.genl(gen, 3, cf.REQ | cf.DUMP), role=ROLE, ibdev="rxe0")
    cf.save("smcr_gen_dev_" + ROLE, *cf.genl(gen, 6, cf.REQ | cf.DUMP), role=ROLE, ibdev="rxe0")
    _, _, eth = cf.family("ethtool")
    pause = struct.pack("=BBH", 21, 1, 0) + cf.nla(1 | 0x8000, cf.nla(2, b"eth0\0"))
    cf.save("ethtool_pause_eth0_" + ROLE, *cf.nl_exchange(cf.NETLINK_GENERIC, eth, cf.REQ | cf.ACK, pause),
            role=ROLE, errno=95, driver=os.path.basename(os.path.realpath("/sys/class/net/eth0/device/driver")))
    with open(os.path.join(OUT, "rdma_sysfs_%s.json" % ROLE), "w") as f:
        json.dump(sysfs_tree(), f, indent=1, sort_keys=True)
    print("capture_smcr[%s]: %d SMCR socket(s) seen by smc_diag: %s" % (ROLE, len(socks), socks), flush=True)
    return 0 if socks else 1


sys.exit(main())
