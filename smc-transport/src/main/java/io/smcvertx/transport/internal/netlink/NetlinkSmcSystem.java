package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.netlink.SmcErrors.Subject;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.PnetId;
import io.smcvertx.transport.system.SeidState;
import io.smcvertx.transport.system.SmcDevice;
import io.smcvertx.transport.system.SmcFallbackStats;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcStats;
import io.smcvertx.transport.system.SmcSysInfo;
import io.smcvertx.transport.system.SmcSysctl;
import io.smcvertx.transport.system.SmcdLinkGroup;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * {@link SmcKernel} over the {@code SMC_PNETID} and {@code SMC_GEN_NETLINK} generic-netlink
 * families and {@code /proc/sys/net/smc}. Input is validated by the model records before any
 * request is built; kernel refusals come back as {@link NetlinkException} with a hint.
 */
public final class NetlinkSmcSystem implements SmcKernel {

    public static final String GEN_FAMILY = "SMC_GEN_NETLINK";
    public static final String PNET_FAMILY = "SMC_PNETID";
    static final int VERSION = 1;

    // SMC_NETLINK_* commands
    static final int GET_SYS_INFO = 1;
    static final int GET_LGR_SMCR = 2;
    static final int GET_LINK_SMCR = 3;
    static final int GET_LGR_SMCD = 4;
    static final int GET_DEV_SMCD = 5;
    static final int GET_DEV_SMCR = 6;
    static final int GET_STATS = 7;
    static final int GET_FBACK_STATS = 8;
    static final int DUMP_UEID = 9;
    static final int ADD_UEID = 10;
    static final int REMOVE_UEID = 11;
    static final int FLUSH_UEID = 12;
    static final int DUMP_SEID = 13;
    static final int ENABLE_SEID = 14;
    static final int DISABLE_SEID = 15;
    static final int DUMP_HS_LIMITATION = 16;
    static final int ENABLE_HS_LIMITATION = 17;
    static final int DISABLE_HS_LIMITATION = 18;
    // SMC_PNETID_* commands
    static final int PNETID_GET = 1;
    static final int PNETID_ADD = 2;
    static final int PNETID_DEL = 3;
    static final int PNETID_FLUSH = 4;

    private final Duration timeout;
    private final Path sysctlDir;

    public NetlinkSmcSystem(Duration timeout) {
        this(timeout, Path.of("/proc/sys/net/smc"));
    }

    public NetlinkSmcSystem(Duration timeout, Path sysctlDir) {
        Objects.requireNonNull(timeout, "`timeout` must not be `null`");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("`timeout` must be greater than zero");
        }
        this.timeout = timeout;
        this.sysctlDir = Objects.requireNonNull(sysctlDir, "`sysctlDir` must not be `null`");
    }

    private List<NlMsg> call(String family, String what, int cmd, boolean dump, byte[] attrs,
                             BiFunction<Integer, String, NetlinkException> map) throws SmcNativeException {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC, timeout)) {
            int id = Genl.resolve(s, family);
            return s.request(what, id, dump ? NlMsg.NLM_F_DUMP : 0, Genl.payload(cmd, VERSION, attrs), map);
        }
    }

    private List<NlMsg> read(String what, int cmd) throws IOException {
        return call(GEN_FAMILY, what, cmd, true, new byte[0], SmcErrors.mapper(what, Subject.READ, null));
    }

    private static <T> T decode(String what, java.util.function.Supplier<T> decoder) throws IOException {
        try {
            return decoder.get();
        } catch (IllegalArgumentException malformed) {
            throw new IOException(what + ": reply could not be decoded: " + malformed.getMessage(), malformed);
        }
    }

    @Override
    public SmcSysInfo sysInfo() throws IOException {
        List<NlMsg> r = read("smc info", GET_SYS_INFO);
        return decode("smc info", () -> SmcGenlCodec.sysInfo(r));
    }

    @Override
    public List<SmcDevice> smcdDevices() throws IOException {
        List<NlMsg> r = read("smcd device", GET_DEV_SMCD);
        return decode("smcd device", () -> SmcGenlCodec.devices(r, SmcDevice.Type.SMCD));
    }

    @Override
    public List<SmcDevice> smcrDevices() throws IOException {
        List<NlMsg> r = read("smcr device", GET_DEV_SMCR);
        return decode("smcr device", () -> SmcGenlCodec.devices(r, SmcDevice.Type.SMCR));
    }

    @Override
    public List<SmcrLinkGroup> smcrLinkGroups() throws IOException {
        List<NlMsg> r = read("smcr linkgroup", GET_LINK_SMCR);
        return decode("smcr linkgroup", () -> SmcGenlCodec.smcrLinkGroups(r));
    }

    @Override
    public List<SmcdLinkGroup> smcdLinkGroups() throws IOException {
        List<NlMsg> r = read("smcd linkgroup", GET_LGR_SMCD);
        return decode("smcd linkgroup", () -> SmcGenlCodec.smcdLinkGroups(r));
    }

    @Override
    public SmcStats stats() throws IOException {
        List<NlMsg> r = read("smc stats", GET_STATS);
        return decode("smc stats", () -> SmcGenlCodec.stats(r));
    }

    @Override
    public SmcFallbackStats fallbackStats() throws IOException {
        List<NlMsg> r = read("smc fallback stats", GET_FBACK_STATS);
        return decode("smc fallback stats", () -> SmcGenlCodec.fallbackStats(r));
    }

    // ------------------------------------------------------------------ PNET table

    @Override
    public List<PnetEntry> pnetTable() throws IOException {
        List<NlMsg> r = call(PNET_FAMILY, "pnet show", PNETID_GET, true, new byte[0],
                SmcErrors.mapper("pnet show", Subject.READ, null));
        return decode("pnet show", () -> SmcGenlCodec.pnetEntries(r));
    }

    @Override
    public List<PnetEntry> pnet(PnetId pnetId) throws IOException {
        Objects.requireNonNull(pnetId, "`pnetId` must not be `null`");
        // the kernel's single GET returns only the first matching row: filter a dump instead
        return pnetTable().stream().filter(e -> e.pnetId().equals(pnetId)).toList();
    }

    @Override
    public void addPnet(PnetEntry entry) throws IOException {
        Objects.requireNonNull(entry, "`entry` must not be `null`");
        String name = "PNET ID " + entry.pnetId() + entry.ethName().map(n -> " on " + n).orElse("")
                + entry.deviceName().map(d -> " on " + d + " port " + entry.devicePort()).orElse("");
        call(PNET_FAMILY, "pnet add", PNETID_ADD, false, SmcGenlCodec.pnetAttrs(entry),
                SmcErrors.mapper("pnet add", Subject.PNET, name));
    }

    @Override
    public void removePnet(PnetId pnetId) throws IOException {
        Objects.requireNonNull(pnetId, "`pnetId` must not be `null`");
        call(PNET_FAMILY, "pnet del", PNETID_DEL, false, new AttrWriter().string(1, pnetId.value()).toByteArray(),
                SmcErrors.mapper("pnet del", Subject.PNET, "PNET ID " + pnetId));
    }

    @Override
    public void flushPnet() throws IOException {
        call(PNET_FAMILY, "pnet flush", PNETID_FLUSH, false, new byte[0],
                SmcErrors.mapper("pnet flush", Subject.PNET, "the PNET table"));
    }

    // ------------------------------------------------------------------ EIDs

    @Override
    public List<Ueid> ueids() throws IOException {
        List<NlMsg> r = read("ueid show", DUMP_UEID);
        return decode("ueid show", () -> SmcGenlCodec.ueids(r));
    }

    /** Refuses a fifth UEID here, naming the ones present, rather than relaying the kernel's ERANGE. */
    @Override
    public void addUeid(Ueid ueid) throws IOException {
        Objects.requireNonNull(ueid, "`ueid` must not be `null`");
        List<Ueid> present = ueids();
        if (!present.contains(ueid) && present.size() >= Ueid.MAX_PER_HOST) {
            throw new IllegalArgumentException("`ueid` " + ueid + " cannot be added: this host already has "
                    + present.size() + " UEIDs " + present + ", the kernel's maximum is " + Ueid.MAX_PER_HOST);
        }
        call(GEN_FAMILY, "ueid add", ADD_UEID, false, SmcGenlCodec.ueidAttrs(ueid),
                SmcErrors.mapper("ueid add", Subject.UEID, "UEID " + ueid));
    }

    @Override
    public void removeUeid(Ueid ueid) throws IOException {
        Objects.requireNonNull(ueid, "`ueid` must not be `null`");
        try {
            call(GEN_FAMILY, "ueid del", REMOVE_UEID, false, SmcGenlCodec.ueidAttrs(ueid),
                    SmcErrors.mapper("ueid del", Subject.UEID, "UEID " + ueid));
        } catch (NetlinkException e) {
            if (!removedLastUeid(e)) {
                throw e;
            }
        }
    }

    /**
     * On IBM Z the kernel answers the removal of its last UEID with -EAGAIN, meaning "removed, and
     * the SEID is in use again" (smc_clc.c, smc_clc_ueid_remove): a success, not an error.
     */
    static boolean removedLastUeid(NetlinkException e) {
        return e.errno() == io.smcvertx.transport.internal.ffm.Errno.EAGAIN;
    }

    @Override
    public void flushUeids() throws IOException {
        call(GEN_FAMILY, "ueid flush", FLUSH_UEID, false, new byte[0],
                SmcErrors.mapper("ueid flush", Subject.UEID, "the UEID table"));
    }

    @Override
    public SeidState seid() throws IOException {
        List<NlMsg> r = read("seid show", DUMP_SEID);
        return decode("seid show", () -> SmcGenlCodec.seid(r));
    }

    @Override
    public void setSeidEnabled(boolean enabled) throws IOException {
        String what = enabled ? "seid enable" : "seid disable";
        call(GEN_FAMILY, what, enabled ? ENABLE_SEID : DISABLE_SEID, false, new byte[0],
                SmcErrors.mapper(what, Subject.SEID, "the SEID"));
    }

    @Override
    public boolean handshakeLimitation() throws IOException {
        List<NlMsg> r = read("handshake limitation show", DUMP_HS_LIMITATION);
        return decode("handshake limitation show", () -> SmcGenlCodec.hsLimitation(r));
    }

    @Override
    public void setHandshakeLimitation(boolean enabled) throws IOException {
        String what = enabled ? "handshake limitation enable" : "handshake limitation disable";
        call(GEN_FAMILY, what, enabled ? ENABLE_HS_LIMITATION : DISABLE_HS_LIMITATION, false, new byte[0],
                SmcErrors.mapper(what, Subject.HS_LIMITATION, "the handshake limitation"));
    }

    // ------------------------------------------------------------------ sysctls

    @Override
    public Map<String, String> sysctls() throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(sysctlDir)) {
            throw new IOException(sysctlDir + " does not exist (is the smc module loaded?)");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sysctlDir)) {
            for (Path p : ds) {
                out.put(p.getFileName().toString(), readProc(p));
            }
        }
        return out;
    }

    @Override
    public Optional<String> sysctl(String name) throws IOException {
        String n = name.trim().startsWith("net.smc.") ? name.trim().substring(8) : name.trim();
        if (n.isEmpty() || n.contains("/") || n.startsWith(".")) {
            throw new IllegalArgumentException("`name` is not a sysctl name: \"" + name + "\"");
        }
        try {
            return Optional.of(readProc(sysctlDir.resolve(n)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads a sysctl in ONE read call: proc's integer handlers answer only at offset 0, so a
     * reader that starts with a 1-byte read (Files.readString does, for size-0 files) gets "6"
     * out of "65536".
     */
    static String readProc(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
    }

    @Override
    public void setSysctl(String name, String value) throws IOException {
        String v = SmcSysctl.validate(name, value);
        String n = SmcSysctl.find(name).orElseThrow().name();
        Path p = sysctlDir.resolve(n);
        if (!Files.exists(p)) {
            throw new IOException("net.smc." + n + " does not exist on this kernel (" + p + ")");
        }
        try {
            Files.writeString(p, v + "\n", StandardCharsets.US_ASCII);
        } catch (AccessDeniedException e) {
            throw new IOException("net.smc." + n + ": " + SmcErrors.NEEDS_CAP_NET_ADMIN, e);
        }
    }

    @Override
    public String toString() {
        return "NetlinkSmcSystem[timeout=" + timeout + ", sysctls=" + sysctlDir + "]";
    }
}
