package io.smcvertx.bpf.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.smcvertx.transport.SmcNativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel says about a loaded program, a map or a link ({@code BPF_OBJ_GET_INFO_BY_FD}).
 * Offsets from Linux 6.12's uapi (gcc {@code offsetof}); an older kernel fills fewer bytes and
 * leaves the rest zero.
 *
 * <pre>
 * struct bpf_prog_info (232 bytes): type@0 id@4 tag[8]@8 load_time@40 (ns since boot) created_by_uid@48
 *                                   nr_map_ids@52 map_ids@56 (user pointer) name[16]@64 attach_btf_id@224
 * struct bpf_map_info (88 bytes):   type@0 id@4 key_size@8 value_size@12 max_entries@16 name[16]@24
 * struct bpf_link_info (64 bytes):  type@0 id@4 prog_id@8, tracing: attach_type@16 target_obj_id@20 target_btf_id@24
 * </pre>
 */
public final class BpfObjects {

    static final int PROG_INFO_SIZE = 232;
    static final int MAP_INFO_SIZE = 88;
    static final int LINK_INFO_SIZE = 64;

    private BpfObjects() {
    }

    /** A program as the kernel describes it. */
    public record ProgInfo(int id, int type, String name, long loadTimeNs, int uid, List<Integer> mapIds,
            int attachBtfId) {
    }

    /** A link as the kernel describes it. */
    public record LinkInfo(int id, int type, int progId, int attachType, int targetBtfId) {
    }

    public static ProgInfo progInfo(int progFd) throws SmcNativeException {
        try (Arena arena = Arena.ofConfined()) {
            int maxMaps = 8;
            MemorySegment ids = arena.allocate(4L * maxMaps, 4);
            ByteBuffer b = ByteBuffer.wrap(Bpf.objInfo(progFd, PROG_INFO_SIZE, 56, maxMaps, ids))
                    .order(ByteOrder.nativeOrder());
            int n = Math.min(b.getInt(52), maxMaps);
            List<Integer> mapIds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                mapIds.add(ids.get(JAVA_INT, 4L * i));
            }
            MemorySegment info = MemorySegment.ofArray(b.array());
            return new ProgInfo(b.getInt(4), b.getInt(0), Bpf.getName(info, 64), b.getLong(40), b.getInt(48),
                    List.copyOf(mapIds), b.getInt(224));
        }
    }

    public static int mapId(int mapFd) throws SmcNativeException {
        ByteBuffer b = ByteBuffer.wrap(Bpf.objInfo(mapFd, MAP_INFO_SIZE, 0, 0, null)).order(ByteOrder.nativeOrder());
        return b.getInt(4);
    }

    public static String mapName(int mapFd) throws SmcNativeException {
        return Bpf.getName(MemorySegment.ofArray(Bpf.objInfo(mapFd, MAP_INFO_SIZE, 0, 0, null)), 24);
    }

    public static LinkInfo linkInfo(int linkFd) throws SmcNativeException {
        ByteBuffer b = ByteBuffer.wrap(Bpf.objInfo(linkFd, LINK_INFO_SIZE, 0, 0, null)).order(ByteOrder.nativeOrder());
        return new LinkInfo(b.getInt(4), b.getInt(0), b.getInt(8), b.getInt(16), b.getInt(24));
    }

}
