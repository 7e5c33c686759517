package io.smcvertx.bpf;

import io.smcvertx.bpf.internal.Bpf;
import io.smcvertx.bpf.internal.BpfObjects;
import io.smcvertx.bpf.internal.UpgradeProgram;
import io.smcvertx.transport.SmcNativeException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The upgrade, loaded and attached: while this object is open, every TCP socket created by a
 * process in a selected cgroup (or below one) is an {@code IPPROTO_SMC} socket. It owns three
 * kernel objects by descriptor (the selection map, the program, the link) and pins none of them:
 * when it is closed, or its process dies, the kernel detaches the program and new sockets are
 * plain TCP again. Sockets created before stay what they are.
 *
 * <p>{@link #attach()} probes first ({@link TransparentProbe}) and refuses with the missing
 * piece rather than attach where a selected process could no longer make sockets (no SMC).
 * Thread-safe: map updates are single system calls.
 */
public final class SmcUpgrade implements BpfTransparentSmc.Upgrade {

    /** The program's name in the kernel ({@code bpftool prog}, {@link UpgradeView}). */
    public static final String PROGRAM_NAME = "smcvertx_upgr";
    /** The selection map's name in the kernel. */
    public static final String MAP_NAME = "smcvertx_cgrps";
    /** How many cgroups one upgrade can select. */
    public static final int MAX_SELECTED = 4096;
    /**
     * The license the program is loaded with: the kernel asks for a GPL-compatible one before it
     * lets a program use GPL-only helpers; this one uses none, and is our own code either way.
     */
    static final String LICENSE = "Dual BSD/GPL";
    private static final byte[] SELECTED = {1};

    private final TransparentCapabilities capabilities;
    private final Loaded loaded;
    private final int linkFd;
    private final int programId;
    private final int linkId;
    private final int mapId;
    private volatile boolean closed;

    private SmcUpgrade(TransparentCapabilities caps, Loaded loaded, int linkFd) throws SmcNativeException {
        this.capabilities = caps;
        this.loaded = loaded;
        this.linkFd = linkFd;
        this.programId = BpfObjects.progInfo(loaded.progFd()).id();
        this.linkId = BpfObjects.linkInfo(linkFd).id();
        this.mapId = BpfObjects.mapId(loaded.mapFd());
    }

    /**
     * Probes, loads and attaches with an empty selection.
     *
     * @throws TransparentRefusedException naming what is missing; nothing is attached then
     * @throws IOException when a system call fails after the probe said yes
     */
    public static SmcUpgrade attach() throws IOException {
        TransparentCapabilities caps = TransparentProbe.probe();
        if (!caps.usable()) {
            throw caps.refusedException();
        }
        Loaded l;
        try {
            l = load(caps.btfFunctionId());
        } catch (LoadException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            return new SmcUpgrade(caps, l, Bpf.linkCreate(l.progFd(), Bpf.ATTACH_MODIFY_RETURN));
        } catch (SmcNativeException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** The selection map and the program, loaded but not attached. */
    record Loaded(int mapFd, int progFd) implements AutoCloseable {
        @Override
        public void close() {
            Bpf.close(progFd);
            Bpf.close(mapFd);
        }
    }

    /** A load failed: which step, the kernel's errno, and the verifier's word. */
    static final class LoadException extends Exception {
        private final String step;
        private final SmcNativeException error;
        private final String verifierLog;

        LoadException(String step, SmcNativeException error, String verifierLog) {
            super(error.getMessage() + (verifierLog.isBlank() ? "" : "; verifier log:\n" + verifierLog), error);
            this.step = step;
            this.error = error;
            this.verifierLog = verifierLog;
        }

        String step() {
            return step;
        }

        SmcNativeException error() {
            return error;
        }

        String verifierLog() {
            return verifierLog;
        }
    }

    /** Creates the map and loads the program against the hook's BTF id; the verifier log is kept on failure. */
    static Loaded load(int btfId) throws LoadException {
        int map;
        try {
            map = Bpf.mapCreate(Bpf.MAP_TYPE_HASH, Long.BYTES, 1, MAX_SELECTED, MAP_NAME);
        } catch (SmcNativeException e) {
            throw new LoadException("map", e, "");
        }
        byte[][] log = new byte[1][];
        try {
            byte[] insns = UpgradeProgram.bytes(map, ByteOrder.nativeOrder());
            int prog = Bpf.progLoad(Bpf.PROG_TYPE_TRACING, Bpf.ATTACH_MODIFY_RETURN, btfId, insns, LICENSE,
                    PROGRAM_NAME, log);
            return new Loaded(map, prog);
        } catch (SmcNativeException e) {
            Bpf.close(map);
            throw new LoadException("load", e, log[0] == null ? "" : new String(log[0], StandardCharsets.UTF_8).strip());
        }
    }

    /** Selects a cgroup (and, through the ancestor walk, everything below it). */
    @Override
    public void select(long cgroupId) throws IOException {
        ensureOpen();
        Bpf.mapUpdate(loaded.mapFd(), cgroupId, SELECTED);
    }

    /** Deselects a cgroup; false when it was not selected. */
    @Override
    public boolean deselect(long cgroupId) throws IOException {
        ensureOpen();
        return Bpf.mapDelete(loaded.mapFd(), cgroupId);
    }

    /** The selected cgroup ids, as the kernel's map holds them now. */
    @Override
    public Set<Long> selected() throws IOException {
        ensureOpen();
        return new LinkedHashSet<>(Bpf.mapKeys(loaded.mapFd(), MAX_SELECTED + 1));
    }

    /** What the probe found before attaching. */
    public TransparentCapabilities capabilities() {
        return capabilities;
    }

    public int programId() {
        return programId;
    }

    public int linkId() {
        return linkId;
    }

    public int mapId() {
        return mapId;
    }

    /** E.g. "program 41 (link 7, map 12) on update_socket_protocol [btf 50123]". */
    @Override
    public String describe() {
        return "program " + programId + " (link " + linkId + ", map " + mapId + ") on " + TransparentProbe.HOOK
                + " [btf " + capabilities.btfFunctionId() + "]";
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the upgrade is detached (closed)");
        }
    }

    /** Detaches: closes the link, the program and the map. New sockets are plain TCP again. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Bpf.close(linkFd);
            loaded.close();
        }
    }
}
