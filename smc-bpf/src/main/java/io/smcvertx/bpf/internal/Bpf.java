package io.smcvertx.bpf.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * {@code bpf(2)} through libc's {@code syscall(3)}, one method per command this project uses.
 * glibc has no {@code bpf()} wrapper, so the system call number is chosen per architecture
 * ({@code arch/x86/entry/syscalls/syscall_64.tbl} 321, the generic table of aarch64 and riscv64
 * 280, {@code arch/s390/kernel/syscalls/syscall.tbl} 351); elsewhere {@link #SYSCALL_NUMBER} is
 * -1 and every call fails with ENOSYS before reaching the kernel.
 *
 * <p>Each command fills a zeroed {@code union bpf_attr} of {@link #ATTR_SIZE} bytes: the kernel
 * takes a shorter or longer one as long as what it does not know is zero. Offsets were
 * computed with gcc from Linux 6.12's {@code include/uapi/linux/bpf.h} ({@code offsetof}).
 * Descriptors returned are owned by the caller ({@link #close(int)}); the kernel sets
 * {@code O_CLOEXEC} on every bpf descriptor.
 */
public final class Bpf {

    // commands (enum bpf_cmd)
    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int MAP_GET_NEXT_KEY = 4;
    static final int PROG_LOAD = 5;
    static final int PROG_GET_NEXT_ID = 11;
    static final int MAP_GET_NEXT_ID = 12;
    static final int PROG_GET_FD_BY_ID = 13;
    static final int MAP_GET_FD_BY_ID = 14;
    static final int OBJ_GET_INFO_BY_FD = 15;
    static final int LINK_CREATE = 28;
    static final int LINK_GET_FD_BY_ID = 30;
    static final int LINK_GET_NEXT_ID = 31;

    public static final int MAP_TYPE_HASH = 1;
    public static final int PROG_TYPE_TRACING = 26;
    /** {@code enum bpf_attach_type}: {@code fmod_ret}. */
    public static final int ATTACH_MODIFY_RETURN = 26;
    /** {@code enum bpf_link_type}. */
    public static final int LINK_TYPE_TRACING = 2;
    /** {@code BPF_OBJ_NAME_LEN}: names are at most 15 characters plus NUL. */
    public static final int OBJ_NAME_LEN = 16;
    /** {@code BPF_F_RDONLY}: open a map by id for reading only. */
    public static final int F_RDONLY = 8;
    /** The kernel's {@code ENOTSUPP} (not a user errno): e.g. no trampoline on this architecture. */
    public static final int ENOTSUPP = 524;

    static final int ATTR_SIZE = 152;

    /** {@code __NR_bpf} of the architecture this JVM runs on, or -1 when unknown. */
    public static final long SYSCALL_NUMBER = syscallNumber(System.getProperty("os.arch"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    // long syscall(long number, ...): every argument passed as a long (the kernel truncates int ones)
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Bpf() {
    }

    /** The bpf(2) number for a Java {@code os.arch}, or -1. */
    public static long syscallNumber(String osArch) {
        return switch (osArch == null ? "" : osArch) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64", "riscv64" -> 280;
            case "s390x" -> 351;
            default -> -1;
        };
    }

    /** One call; returns the kernel's non-negative result or throws with the command's name and errno. */
    static long call(String what, int cmd, MemorySegment attr) throws SmcNativeException {
        if (SYSCALL_NUMBER < 0) {
            throw Errno.exception(what + " (no bpf(2) system call number known for "
                    + System.getProperty("os.arch") + ")", 38 /* ENOSYS */);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = (long) SYSCALL.invokeExact(state, SYSCALL_NUMBER, (long) cmd, attr.address(), attr.byteSize());
            if (rc < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw errno == ENOTSUPP
                        ? new SmcNativeException(what, errno, "ENOTSUPP", "Operation not supported by the kernel")
                        : Errno.exception(what, errno);
            }
            return rc;
        } catch (SmcNativeException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(2) downcall failed", t);
        }
    }

    static MemorySegment attr(Arena arena) {
        return arena.allocate(ATTR_SIZE, 8);
    }

    /** Copies a name into a fixed {@code char[16]} field; longer names are cut (the kernel's rule is 15 + NUL). */
    static void putName(MemorySegment seg, long offset, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, seg, JAVA_BYTE, offset, Math.min(b.length, OBJ_NAME_LEN - 1));
    }

    /** Reads a NUL-terminated {@code char[16]}. */
    static String getName(MemorySegment seg, long offset) {
        byte[] b = seg.asSlice(offset, OBJ_NAME_LEN).toArray(JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * {@code BPF_MAP_CREATE}: map_type@0 key_size@4 value_size@8 max_entries@12 map_flags@16 map_name@28.
     * Returns the map's descriptor.
     */
    public static int mapCreate(int type, int keySize, int valueSize, int maxEntries, String name)
            throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, type);
            a.set(JAVA_INT, 4, keySize);
            a.set(JAVA_INT, 8, valueSize);
            a.set(JAVA_INT, 12, maxEntries);
            putName(a, 28, name);
            return (int) call("bpf(BPF_MAP_CREATE)", MAP_CREATE, a);
        }
    }

    /** {@code BPF_MAP_UPDATE_ELEM} of a u64 key: map_fd@0 key@8 value@16 flags@24 (BPF_ANY). */
    public static void mapUpdate(int mapFd, long key, byte[] value) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocateFrom(JAVA_LONG, key);
            MemorySegment v = arena.allocate(value.length, 8);
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, mapFd);
            a.set(JAVA_LONG, 8, k.address());
            a.set(JAVA_LONG, 16, v.address());
            call("bpf(BPF_MAP_UPDATE_ELEM)", MAP_UPDATE_ELEM, a);
        }
    }

    /** {@code BPF_MAP_DELETE_ELEM} of a u64 key; false when the key was not there (ENOENT). */
    public static boolean mapDelete(int mapFd, long key) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocateFrom(JAVA_LONG, key);
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, mapFd);
            a.set(JAVA_LONG, 8, k.address());
            call("bpf(BPF_MAP_DELETE_ELEM)", MAP_DELETE_ELEM, a);
            return true;
        } catch (SmcNativeException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Every u64 key of a map, by {@code BPF_MAP_GET_NEXT_KEY} (key@8 next_key@16; no key = first). */
    public static java.util.List<Long> mapKeys(int mapFd, int max) throws SmcNativeException {
        java.util.List<Long> keys = new java.util.ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(JAVA_LONG);
            MemorySegment next = arena.allocate(JAVA_LONG);
            boolean first = true;
            while (keys.size() < max) {
                MemorySegment a = attr(arena);
                a.set(JAVA_INT, 0, mapFd);
                a.set(JAVA_LONG, 8, first ? 0L : k.address());
                a.set(JAVA_LONG, 16, next.address());
                try {
                    call("bpf(BPF_MAP_GET_NEXT_KEY)", MAP_GET_NEXT_KEY, a);
                } catch (SmcNativeException e) {
                    if (e.errno() == Errno.ENOENT) {
                        break; // past the last key
                    }
                    throw e;
                }
                long key = next.get(JAVA_LONG, 0);
                keys.add(key);
                k.set(JAVA_LONG, 0, key);
                first = false;
            }
        }
        return keys;
    }

    /**
     * {@code BPF_PROG_LOAD}: prog_type@0 insn_cnt@4 insns@8 license@16 log_level@24 log_size@28
     * log_buf@32 prog_name@48 expected_attach_type@68 attach_btf_id@108. The verifier's log
     * (level 1) goes to {@code log}; it is the first thing to read when a load is refused.
     */
    public static int progLoad(int type, int expectedAttachType, int attachBtfId, byte[] insns, String license,
            String name, byte[][] log) throws SmcNativeException {
        int logSize = 1 << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(insns.length, 8);
            MemorySegment.copy(insns, 0, code, JAVA_BYTE, 0, insns.length);
            MemorySegment lic = arena.allocateFrom(license, StandardCharsets.US_ASCII);
            MemorySegment logBuf = arena.allocate(logSize, 8);
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, type);
            a.set(JAVA_INT, 4, insns.length / 8);
            a.set(JAVA_LONG, 8, code.address());
            a.set(JAVA_LONG, 16, lic.address());
            a.set(JAVA_INT, 24, 1);
            a.set(JAVA_INT, 28, logSize);
            a.set(JAVA_LONG, 32, logBuf.address());
            putName(a, 48, name);
            a.set(JAVA_INT, 68, expectedAttachType);
            a.set(JAVA_INT, 108, attachBtfId);
            try {
                return (int) call("bpf(BPF_PROG_LOAD)", PROG_LOAD, a);
            } finally {
                log[0] = logBuf.getString(0, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** {@code BPF_LINK_CREATE}: prog_fd@0 target_fd@4 attach_type@8 (a tracing link needs no target). */
    public static int linkCreate(int progFd, int attachType) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, progFd);
            a.set(JAVA_INT, 8, attachType);
            return (int) call("bpf(BPF_LINK_CREATE)", LINK_CREATE, a);
        }
    }

    /** {@code BPF_*_GET_NEXT_ID}: start_id@0 next_id@4; 0 when there is no next one. */
    static int nextId(String what, int cmd, int start) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, start);
            call(what, cmd, a);
            return a.get(JAVA_INT, 4);
        } catch (SmcNativeException e) {
            if (e.errno() == Errno.ENOENT) {
                return 0;
            }
            throw e;
        }
    }

    public static int nextProgId(int start) throws SmcNativeException {
        return nextId("bpf(BPF_PROG_GET_NEXT_ID)", PROG_GET_NEXT_ID, start);
    }

    public static int nextLinkId(int start) throws SmcNativeException {
        return nextId("bpf(BPF_LINK_GET_NEXT_ID)", LINK_GET_NEXT_ID, start);
    }

    /** {@code BPF_*_GET_FD_BY_ID}: id@0 open_flags@8. */
    static int fdById(String what, int cmd, int id, int flags) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, id);
            a.set(JAVA_INT, 8, flags);
            return (int) call(what, cmd, a);
        }
    }

    public static int progFdById(int id) throws SmcNativeException {
        return fdById("bpf(BPF_PROG_GET_FD_BY_ID)", PROG_GET_FD_BY_ID, id, 0);
    }

    public static int mapFdById(int id, int flags) throws SmcNativeException {
        return fdById("bpf(BPF_MAP_GET_FD_BY_ID)", MAP_GET_FD_BY_ID, id, flags);
    }

    public static int linkFdById(int id) throws SmcNativeException {
        return fdById("bpf(BPF_LINK_GET_FD_BY_ID)", LINK_GET_FD_BY_ID, id, 0);
    }

    /** {@code BPF_OBJ_GET_INFO_BY_FD}: bpf_fd@0 info_len@4 info@8; returns the info the kernel filled. */
    static byte[] objInfo(int fd, int size, long mapIdsAt, int mapIdsCount, MemorySegment mapIds)
            throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(size, 8);
            if (mapIds != null) {
                info.set(JAVA_INT, mapIdsAt - 4, mapIdsCount); // nr_map_ids precedes map_ids
                info.set(JAVA_LONG, mapIdsAt, mapIds.address());
            }
            MemorySegment a = attr(arena);
            a.set(JAVA_INT, 0, fd);
            a.set(JAVA_INT, 4, size);
            a.set(JAVA_LONG, 8, info.address());
            call("bpf(BPF_OBJ_GET_INFO_BY_FD)", OBJ_GET_INFO_BY_FD, a);
            return info.toArray(JAVA_BYTE);
        }
    }

    /** Closes a descriptor, ignoring failure (Linux releases it either way). */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int rc = (int) CLOSE.invokeExact(fd);
            assert rc == 0 || rc == -1;
        } catch (Throwable ignored) {
            // nothing more can be done about a descriptor that does not close
        }
    }
}
