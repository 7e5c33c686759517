package io.smcvertx.transport.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.smcvertx.transport.rdma.VerbsStatus;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The few libibverbs calls the RDMA readiness report makes, through FFM (no JNI, no DiSNI).
 * libibverbs is optional: it is looked up when first asked, and its absence is a status, never
 * an error that escapes.
 *
 * <pre>
 * struct _compat_ibv_port_attr (the layout of the exported ibv_query_port, IBVERBS_1.1)
 *  0 state (enum, 4)   4 max_mtu (enum, 4)   8 active_mtu (enum, 4)   12 gid_tbl_len ...   (52 bytes in all)
 * struct ibv_gid_entry (32 bytes)
 *  0 gid (16 raw bytes)   16 gid_index u32   20 port_num u32   24 gid_type u32   28 ndev_ifindex u32
 * </pre>
 */
public final class Verbs {

    /** ibv_mtu: 1=256 ... 5=4096. */
    private static final int[] MTU = {0, 256, 512, 1024, 2048, 4096};
    private static final long PORT_ATTR_BYTES = 256; // generous: the library writes at most the compat struct
    private static final long ACTIVE_MTU_OFFSET = 8;
    private static final long GID_ENTRY_BYTES = 32;
    private static final int MAX_GIDS = 256;

    /** One populated GID table entry as libibverbs reports it. */
    public record GidEntry(int port, int index, byte[] gid, int type, int ifindex) {
    }

    /** What libibverbs said: the status, and per device the active MTU of each port and its GIDs. */
    public record Result(VerbsStatus status, Map<String, Map<Integer, Integer>> activeMtu,
            Map<String, List<GidEntry>> gids) {
    }

    private record Lib(MethodHandle getDeviceList, MethodHandle freeDeviceList, MethodHandle deviceName,
            MethodHandle open, MethodHandle close, MethodHandle queryPort, Optional<MethodHandle> gidTable) {
    }

    private Verbs() {
    }

    private static Lib load() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libibverbs.so.1", Arena.global());
        java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> h = (name, fd) -> linker.downcallHandle(
                lib.find(name).orElseThrow(() -> new IllegalArgumentException("libibverbs.so.1 has no symbol " + name)), fd);
        return new Lib(
                h.apply("ibv_get_device_list", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                h.apply("ibv_free_device_list", FunctionDescriptor.ofVoid(ADDRESS)),
                h.apply("ibv_get_device_name", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                h.apply("ibv_open_device", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                h.apply("ibv_close_device", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                h.apply("ibv_query_port", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS)),
                // rdma-core 24+ (IBVERBS_1.12); older libraries have no GID table call
                lib.find("_ibv_query_gid_table").map(s -> linker.downcallHandle(s,
                        FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG))));
    }

    /**
     * Asks libibverbs about every device it lists, for the given ports of each.
     *
     * @param ports the kernel's devices (from sysfs) and the port numbers of each
     */
    public static Result query(Map<String, List<Integer>> ports) {
        Map<String, Map<Integer, Integer>> mtu = new HashMap<>();
        Map<String, List<GidEntry>> gids = new HashMap<>();
        if (ports.isEmpty()) {
            return new Result(new VerbsStatus(VerbsStatus.State.NOT_NEEDED, "no RDMA device in sysfs"), mtu, gids);
        }
        Lib lib;
        try {
            lib = load();
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return new Result(new VerbsStatus(VerbsStatus.State.LIBRARY_MISSING,
                    "libibverbs.so.1 could not be loaded (" + e.getMessage() + "); Debian: apt-get install libibverbs1 ibverbs-providers"),
                    mtu, gids);
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment list = (MemorySegment) lib.getDeviceList.invokeExact(count);
            if (list.equals(MemorySegment.NULL)) {
                return new Result(new VerbsStatus(VerbsStatus.State.FAILED, "ibv_get_device_list returned NULL"), mtu, gids);
            }
            try {
                int n = count.get(JAVA_INT, 0);
                MemorySegment devices = list.reinterpret(ADDRESS.byteSize() * n);
                for (int i = 0; i < n; i++) {
                    MemorySegment dev = devices.getAtIndex(ADDRESS, i);
                    String name = ((MemorySegment) lib.deviceName.invokeExact(dev)).reinterpret(256).getString(0);
                    List<Integer> wanted = ports.get(name);
                    if (wanted == null) {
                        continue;
                    }
                    seen.add(name);
                    MemorySegment ctx = (MemorySegment) lib.open.invokeExact(dev);
                    if (ctx.equals(MemorySegment.NULL)) {
                        problems.add("ibv_open_device(" + name + ") failed (is ib_uverbs loaded and /dev/infiniband readable?)");
                        continue;
                    }
                    try {
                        queryDevice(lib, arena, ctx, name, wanted, mtu, gids, problems);
                    } finally {
                        int ignored = (int) lib.close.invokeExact(ctx);
                    }
                }
            } finally {
                lib.freeDeviceList.invokeExact(list);
            }
        } catch (Throwable t) {
            return new Result(new VerbsStatus(VerbsStatus.State.FAILED, "libibverbs call failed: " + t), mtu, gids);
        }
        Set<String> missing = new HashSet<>(ports.keySet());
        missing.removeAll(seen);
        if (!missing.isEmpty() && seen.isEmpty()) {
            return new Result(new VerbsStatus(VerbsStatus.State.NO_PROVIDER, "libibverbs lists none of " + ports.keySet()
                    + ": no user-space provider for them (Debian: apt-get install ibverbs-providers)"), mtu, gids);
        }
        if (!missing.isEmpty()) {
            problems.add("libibverbs does not list " + missing + " (no provider for them)");
        }
        return new Result(problems.isEmpty()
                ? new VerbsStatus(VerbsStatus.State.AVAILABLE, "libibverbs answered for " + seen.stream().sorted().toList())
                : new VerbsStatus(VerbsStatus.State.FAILED, String.join("; ", problems)), mtu, gids);
    }

    private static void queryDevice(Lib lib, Arena arena, MemorySegment ctx, String name, List<Integer> wanted,
            Map<String, Map<Integer, Integer>> mtu, Map<String, List<GidEntry>> gids, List<String> problems) throws Throwable {
        for (int port : wanted) {
            MemorySegment attr = arena.allocate(PORT_ATTR_BYTES, 8);
            int rc = (int) lib.queryPort.invokeExact(ctx, (byte) port, attr);
            if (rc != 0) {
                problems.add("ibv_query_port(" + name + ", " + port + ") failed: " + Errno.name(rc));
                continue;
            }
            int m = attr.get(JAVA_INT, ACTIVE_MTU_OFFSET);
            if (m > 0 && m < MTU.length) {
                mtu.computeIfAbsent(name, k -> new HashMap<>()).put(port, MTU[m]);
            }
        }
        if (lib.gidTable.isPresent()) {
            MemorySegment entries = arena.allocate(GID_ENTRY_BYTES * MAX_GIDS, 8);
            long got = (long) lib.gidTable.get().invokeExact(ctx, entries, (long) MAX_GIDS, 0, GID_ENTRY_BYTES);
            if (got < 0) {
                problems.add("_ibv_query_gid_table(" + name + ") failed: " + Errno.name((int) -got));
                return;
            }
            List<GidEntry> out = new ArrayList<>();
            for (long i = 0; i < got; i++) {
                MemorySegment e = entries.asSlice(i * GID_ENTRY_BYTES, GID_ENTRY_BYTES);
                out.add(new GidEntry(e.get(JAVA_INT, 20), e.get(JAVA_INT, 16), e.asSlice(0, 16).toArray(JAVA_BYTE),
                        e.get(JAVA_INT, 24), e.get(JAVA_INT, 28)));
            }
            gids.put(name, out);
        }
    }
}
