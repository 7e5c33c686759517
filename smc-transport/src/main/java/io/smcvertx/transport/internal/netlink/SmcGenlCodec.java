package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.diag.FallbackReason;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcDevicePort;
import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcLinkGroupV2;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.SmcrLink;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.transport.system.Ueid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decoders for the replies of {@code SMC_GEN_NETLINK} and {@code SMC_PNETID}. Each message is
 * a generic-netlink header followed by one top-level nest (SMC_GEN_*) holding the object:
 *
 * <pre>
 * +--------+-----+--------------------------------------------------+
 * | nlmsg  |genl | nest SMC_GEN_xxx (len, type|NLA_F_NESTED)          |
 * | header | hdr |  +-- attr 1 (len,type,value) -- attr 2 -- nest ...|
 * +--------+-----+--------------------------------------------------+
 * SMC_PNETID replies and UEID/SEID/HS dumps carry their attributes at top level (no nest).
 * </pre>
 */
public final class SmcGenlCodec {

    // top-level nests (SMC_GEN_*)
    static final int GEN_SYS_INFO = 1;
    static final int GEN_LGR_SMCR = 2;
    static final int GEN_LINK_SMCR = 3;
    static final int GEN_LGR_SMCD = 4;
    static final int GEN_DEV_SMCD = 5;
    static final int GEN_DEV_SMCR = 6;
    static final int GEN_STATS = 7;
    static final int GEN_FBACK_STATS = 8;

    private static final String[] STATS_T = {null, "tx_rmb_size", "rx_rmb_size", "txpload_size", "rxpload_size",
        "tx_rmb_stats", "rx_rmb_stats", "clnt_v1_succ", "clnt_v2_succ", "srv_v1_succ", "srv_v2_succ",
        "sendpage_cnt", "splice_cnt", "cork_cnt", "ndly_cnt", "urg_data_cnt", "rx_bytes", "tx_bytes",
        "rx_cnt", "tx_cnt", "rx_rmb_usage", "tx_rmb_usage"};
    private static final String[] PLOAD = {null, "8K", "16K", "32K", "64K", "128K", "256K", "512K", "1024K", ">1024K"};
    private static final String[] RMB = {null, "size_sm_peer_cnt", "size_sm_cnt", "full_peer_cnt", "full_cnt",
        "reuse_cnt", "alloc_cnt", "dgrade_cnt"};

    private SmcGenlCodec() {
    }

    private static List<Attrs> nests(List<NlMsg> reply, int nest) {
        List<Attrs> out = new ArrayList<>();
        for (NlMsg m : reply) {
            for (Attr a : Genl.attrs(m).all(nest)) {
                out.add(a.nested());
            }
        }
        return out;
    }

    /** The kernel pads host names and EIDs with blanks; "n/a" marks an unset PNET table field. */
    private static Optional<String> text(Attrs a, int type) {
        return a.string(type).map(String::strip).filter(s -> !s.isEmpty() && !s.equals("n/a"));
    }

    public static SmcSysInfo sysInfo(List<NlMsg> reply) {
        List<Attrs> all = nests(reply, GEN_SYS_INFO);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("SMC_NETLINK_GET_SYS_INFO reply without SMC_GEN_SYS_INFO");
        }
        Attrs a = all.getFirst();
        return new SmcSysInfo(a.u8(1, 0), a.u8(2, 0), a.u8(3, 0) != 0, a.u8(6, 0) != 0,
                text(a, 4).orElse(""), text(a, 5));
    }

    public static List<SmcDevice> devices(List<NlMsg> reply, SmcDevice.Type type) {
        List<SmcDevice> out = new ArrayList<>();
        for (Attrs a : nests(reply, type == SmcDevice.Type.SMCD ? GEN_DEV_SMCD : GEN_DEV_SMCR)) {
            List<SmcDevicePort> ports = new ArrayList<>();
            for (int p = 1; p <= 2; p++) {
                Optional<Attr> port = a.find(p == 1 ? 8 : 9);
                if (port.isPresent()) {
                    Attrs pa = port.get().nested();
                    ports.add(new SmcDevicePort(p, text(pa, 2), pa.u8(1, 0) != 0, pa.u32(3, 0), pa.u8(4, 0),
                            pa.u8(5, 0) != 0, pa.u32(6, 0)));
                }
            }
            String pciId = text(a, 7).orElse("");
            String name = type == SmcDevice.Type.SMCR ? text(a, 10).orElse(pciId) : pciId;
            // no ISM device in the lab to capture: take whatever width the kernel sends
            out.add(new SmcDevice(type, name, pciId, (int) a.uint(3, 0), (int) a.uint(4, 0), (int) a.uint(5, 0),
                    (int) a.uint(6, 0),
                    a.u32(1, 0), a.u8(2, 0) != 0, ports));
        }
        return out;
    }

    private static Optional<SmcLinkGroupV2> v2(Attrs lgr, int type) {
        return lgr.find(type).map(Attr::nested).map(v -> new SmcLinkGroupV2(v.u8(0, 0), v.u8(1, 0), v.u8(2, 0),
                text(v, 3).orElse(""), text(v, 4).orElse("")));
    }

    /** Link groups from a GET_LINK_SMCR dump: each LGR_SMCR message is followed by its links. */
    public static List<SmcrLinkGroup> smcrLinkGroups(List<NlMsg> reply) {
        List<SmcrLinkGroup> out = new ArrayList<>();
        List<SmcrLink> links = null;
        Attrs lgr = null;
        for (NlMsg m : reply) {
            Attrs top = Genl.attrs(m);
            for (Attr a : top.list()) {
                if (a.type() == GEN_LGR_SMCR) {
                    if (lgr != null) {
                        out.add(smcrGroup(lgr, links));
                    }
                    lgr = a.nested();
                    links = new ArrayList<>();
                } else if (a.type() == GEN_LINK_SMCR && links != null) {
                    Attrs l = a.nested();
                    links.add(new SmcrLink(l.u8(1, 0), text(l, 2).orElse(""), l.u8(3, 0), text(l, 4).orElse(""),
                            text(l, 5).orElse(""), l.u32(6, 0), l.u32(7, 0), l.u32(8, 0), l.u32(9, 0), l.u32(10, 0)));
                }
            }
        }
        if (lgr != null) {
            out.add(smcrGroup(lgr, links));
        }
        return out;
    }

    private static SmcrLinkGroup smcrGroup(Attrs a, List<SmcrLink> links) {
        return new SmcrLinkGroup(Integer.toUnsignedLong(a.u32(1, 0)), a.u8(2, 0) == 0 ? "CLNT" : "SERV", a.u8(3, 0),
                text(a, 4), a.u8(5, 0), a.u32(6, 0), v2(a, 7), links);
    }

    public static List<SmcdLinkGroup> smcdLinkGroups(List<NlMsg> reply) {
        List<SmcdLinkGroup> out = new ArrayList<>();
        for (Attrs a : nests(reply, GEN_LGR_SMCD)) {
            out.add(new SmcdLinkGroup(Integer.toUnsignedLong(a.u32(1, 0)), a.uint(2, 0), a.uint(10, 0), a.uint(3, 0),
                    a.uint(11, 0), a.u8(4, 0), a.u32(5, 0), text(a, 6), (int) a.uint(7, 0), v2(a, 9)));
        }
        return out;
    }

    public static SmcStats stats(List<NlMsg> reply) {
        Map<String, Long> smcd = new LinkedHashMap<>();
        Map<String, Long> smcr = new LinkedHashMap<>();
        long clnt = 0;
        long srv = 0;
        for (Attrs a : nests(reply, GEN_STATS)) {
            a.find(1).ifPresent(t -> tech(t.nested(), smcd));
            a.find(2).ifPresent(t -> tech(t.nested(), smcr));
            clnt = a.uint(3, clnt);
            srv = a.uint(4, srv);
        }
        return new SmcStats(smcd, smcr, clnt, srv);
    }

    private static void tech(Attrs t, Map<String, Long> out) {
        for (Attr a : t.list()) {
            if (a.type() <= 0 || a.type() >= STATS_T.length) {
                continue; // padding, or a counter newer than this table
            }
            String name = STATS_T[a.type()];
            if (a.type() <= 4) {
                for (Attr b : a.nested().list()) {
                    if (b.type() > 0 && b.type() < PLOAD.length) {
                        out.put(name + "." + PLOAD[b.type()], b.uint());
                    }
                }
            } else if (a.type() <= 6) {
                for (Attr b : a.nested().list()) {
                    if (b.type() > 0 && b.type() < RMB.length) {
                        out.put(name + "." + RMB[b.type()], b.uint());
                    }
                }
            } else {
                out.put(name, a.uint());
            }
        }
    }

    public static SmcFallbackStats fallbackStats(List<NlMsg> reply) {
        long srv = 0;
        long clnt = 0;
        List<SmcFallbackStats.Row> rows = new ArrayList<>();
        for (Attrs a : nests(reply, GEN_FBACK_STATS)) {
            srv = a.uint(2, srv);
            clnt = a.uint(3, clnt);
            if (a.find(4).isPresent()) {
                rows.add(new SmcFallbackStats.Row(a.u8(1, 0) != 0, FallbackReason.of(a.u32(4, 0)), a.uint(5, 0)));
            }
        }
        return new SmcFallbackStats(srv, clnt, rows);
    }

    public static List<Ueid> ueids(List<NlMsg> reply) {
        List<Ueid> out = new ArrayList<>();
        for (NlMsg m : reply) {
            text(Genl.attrs(m), 1).map(Ueid::of).ifPresent(out::add);
        }
        return out;
    }

    public static SeidState seid(List<NlMsg> reply) {
        for (NlMsg m : reply) {
            Attrs a = Genl.attrs(m);
            if (a.find(2).isPresent()) {
                return new SeidState(text(a, 1), a.u8(2, 0) != 0);
            }
        }
        return new SeidState(Optional.empty(), false);
    }

    public static boolean hsLimitation(List<NlMsg> reply) {
        for (NlMsg m : reply) {
            Optional<Attr> a = Genl.attrs(m).find(1);
            if (a.isPresent()) {
                return a.get().u8() != 0;
            }
        }
        throw new IllegalArgumentException("SMC_NETLINK_DUMP_HS_LIMITATION reply without SMC_NLA_HS_LIMITATION_ENABLED");
    }

    /** PNET table rows; the kernel writes "n/a" and port 0xff for unset fields. */
    public static List<PnetEntry> pnetEntries(List<NlMsg> reply) {
        List<PnetEntry> out = new ArrayList<>();
        for (NlMsg m : reply) {
            Attrs a = Genl.attrs(m);
            Optional<String> name = text(a, 1);
            if (name.isEmpty()) {
                continue;
            }
            Optional<String> eth = text(a, 2);
            Optional<String> dev = text(a, 3);
            int port = a.u8(4, 0);
            out.add(new PnetEntry(PnetId.of(name.get()), eth, dev, dev.isPresent() && port >= 1 && port <= 2 ? port : 0));
        }
        return out;
    }

    /** The attributes of SMC_PNETID_ADD for one entry. */
    public static byte[] pnetAttrs(PnetEntry e) {
        AttrWriter w = new AttrWriter().string(1, e.pnetId().value());
        e.ethName().ifPresent(n -> w.string(2, n));
        e.deviceName().ifPresent(n -> {
            w.string(3, n);
            w.u8(4, e.devicePort());
        });
        return w.toByteArray();
    }

    /** SMC_NLA_EID_TABLE_ENTRY: the kernel wants exactly 32 blank-padded bytes plus NUL. */
    public static byte[] ueidAttrs(Ueid ueid) {
        StringBuilder sb = new StringBuilder(ueid.value());
        while (sb.length() < Ueid.MAX_LENGTH) {
            sb.append(' ');
        }
        return new AttrWriter().string(1, sb.toString()).toByteArray();
    }
}
