package io.smcvertx.bpf.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A reader of the kernel's BTF ({@code /sys/kernel/btf/vmlinux}, {@code include/uapi/linux/btf.h}):
 * enough to find a function's type id, which {@code BPF_PROG_LOAD} takes as {@code attach_btf_id},
 * and to check its signature.
 *
 * <pre>
 *  header (24 bytes)                                   each type (12 bytes + kind-specific data)
 *  0      2       3       4         8                  0          4                      8
 *  +------+-------+-------+---------+                  +----------+----------------------+-----------+
 *  | magic| ver 1 | flags | hdr_len |                  | name_off | info                 | size/type |
 *  +------+-------+-------+---------+                  +----------+----------------------+-----------+
 *  | type_off | type_len | str_off | str_len |         info: vlen bits 0-15, kind bits 24-28, kind_flag bit 31
 *  8          12         16        20        24
 *  magic 0xeB9F in the writer's byte order: read as 0x9FEB, the blob is the other endianness (s390x on x86).
 *  sections start hdr_len + off; type ids count from 1 (0 is void) in the order the types appear.
 *
 *  kind                         extra bytes after the 12     kind                 extra bytes
 *  1 INT                        4                            11 RESTRICT          0
 *  2 PTR                        0                            12 FUNC              0 (vlen = linkage; type = its FUNC_PROTO)
 *  3 ARRAY                      12                           13 FUNC_PROTO        8 x vlen (name_off, type per param)
 *  4 STRUCT, 5 UNION            12 x vlen                    14 VAR               4
 *  6 ENUM                       8 x vlen                     15 DATASEC           12 x vlen
 *  7 FWD                        0                            16 FLOAT             0
 *  8 TYPEDEF, 9 VOLATILE, 10 CONST  0                        17 DECL_TAG          4
 *                                                            18 TYPE_TAG 0, 19 ENUM64 12 x vlen
 * </pre>
 * A kind this table does not know stops the walk with an error: its size is unknown, so nothing
 * after it could be read right.
 */
public final class Btf {

    public static final int MAGIC = 0xeB9F;
    public static final int KIND_INT = 1;
    public static final int KIND_FUNC = 12;
    public static final int KIND_FUNC_PROTO = 13;
    static final int KIND_MAX = 19;

    /** A function found by name: its id and its prototype (return type and parameters). */
    public record Function(int id, String name, int protoId, String returnType, List<Param> params) {
        public Function {
            params = List.copyOf(params);
        }

        /** E.g. {@code int update_socket_protocol(int family, int type, int protocol)}. */
        public String signature() {
            StringBuilder sb = new StringBuilder(returnType).append(' ').append(name).append('(');
            for (int i = 0; i < params.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(params.get(i).type()).append(' ').append(params.get(i).name());
            }
            return sb.append(')').toString();
        }
    }

    /** One parameter: name and the name of its type (as far as this reader resolves it). */
    public record Param(String name, String type) {
    }

    private final ByteBuffer data;
    private final int typeStart;
    private final int typeEnd;
    private final int strStart;
    private final int strLen;
    /** Byte offset of each type record by id (index 0 unused). */
    private final int[] offsets;
    private final int[] kindCounts = new int[KIND_MAX + 1];

    private Btf(ByteBuffer data, int typeStart, int typeEnd, int strStart, int strLen, int[] offsets) {
        this.data = data;
        this.typeStart = typeStart;
        this.typeEnd = typeEnd;
        this.strStart = strStart;
        this.strLen = strLen;
        this.offsets = offsets;
    }

    /**
     * Parses a whole blob, walking every type record once.
     *
     * @throws IllegalArgumentException naming what is wrong and where (bad magic, a section outside the
     *         blob, an unknown kind, a record running past the type section)
     */
    public static Btf parse(byte[] blob) {
        if (blob.length < 24) {
            throw new IllegalArgumentException("BTF too short: " + blob.length + " bytes, the header alone has 24");
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int magic = Short.toUnsignedInt(b.getShort(0));
        if (magic == 0x9FEB) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("not BTF: magic 0x%04x, expected 0x%04x", magic, MAGIC));
        }
        int version = Byte.toUnsignedInt(b.get(2));
        if (version != 1) {
            throw new IllegalArgumentException("BTF version " + version + " is not known (1 is)");
        }
        long hdrLen = Integer.toUnsignedLong(b.getInt(4));
        long typeOff = hdrLen + Integer.toUnsignedLong(b.getInt(8));
        long typeLen = Integer.toUnsignedLong(b.getInt(12));
        long strOff = hdrLen + Integer.toUnsignedLong(b.getInt(16));
        long strLen = Integer.toUnsignedLong(b.getInt(20));
        if (hdrLen < 24 || typeOff + typeLen > blob.length || strOff + strLen > blob.length) {
            throw new IllegalArgumentException("BTF sections outside the blob: hdr_len " + hdrLen + ", types "
                    + typeOff + "+" + typeLen + ", strings " + strOff + "+" + strLen + ", blob " + blob.length);
        }
        List<Integer> offs = new ArrayList<>();
        offs.add(-1);
        int p = (int) typeOff;
        int end = (int) (typeOff + typeLen);
        int[] counts = new int[KIND_MAX + 1];
        while (p < end) {
            if (p + 12 > end) {
                throw new IllegalArgumentException("BTF type " + offs.size() + " at byte " + p + " runs past the type section");
            }
            int info = b.getInt(p + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            int extra = switch (kind) {
                case 1, 14, 17 -> 4;
                case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;
                case 3 -> 12;
                case 4, 5, 15, 19 -> 12 * vlen;
                case 6, 13 -> 8 * vlen;
                default -> throw new IllegalArgumentException("BTF type " + offs.size() + " at byte " + p
                        + " has kind " + kind + ", which this reader does not know (the rest cannot be walked)");
            };
            counts[kind]++;
            offs.add(p);
            p += 12 + extra;
        }
        if (p != end) {
            throw new IllegalArgumentException("the last BTF type runs " + (p - end) + " bytes past the type section");
        }
        int[] offsets = offs.stream().mapToInt(Integer::intValue).toArray();
        Btf btf = new Btf(b, (int) typeOff, end, (int) strOff, (int) strLen, offsets);
        System.arraycopy(counts, 0, btf.kindCounts, 0, counts.length);
        return btf;
    }

    /** How many types the blob holds (the highest id). */
    public int typeCount() {
        return offsets.length - 1;
    }

    /** How many types of {@code kind} the walk saw. */
    public int count(int kind) {
        return kind >= 0 && kind <= KIND_MAX ? kindCounts[kind] : 0;
    }

    /** The byte order the blob was written in (the kernel's). */
    public ByteOrder order() {
        return data.order();
    }

    public int kind(int id) {
        return (data.getInt(offsets[id] + 4) >>> 24) & 0x1f;
    }

    public String name(int id) {
        return id == 0 ? "void" : string(data.getInt(offsets[id]));
    }

    /** The first FUNC named {@code name}, with its prototype resolved. */
    public Optional<Function> function(String name) {
        for (int id = 1; id < offsets.length; id++) {
            if (kind(id) == KIND_FUNC && name.equals(name(id))) {
                int proto = data.getInt(offsets[id] + 8);
                if (proto <= 0 || proto >= offsets.length || kind(proto) != KIND_FUNC_PROTO) {
                    throw new IllegalArgumentException("BTF FUNC " + name + " [" + id + "] points to type " + proto
                            + ", which is no FUNC_PROTO");
                }
                int vlen = data.getInt(offsets[proto] + 4) & 0xffff;
                List<Param> params = new ArrayList<>();
                for (int i = 0; i < vlen; i++) {
                    int at = offsets[proto] + 12 + 8 * i;
                    params.add(new Param(string(data.getInt(at)), typeName(data.getInt(at + 4))));
                }
                return Optional.of(new Function(id, name, proto, typeName(data.getInt(offsets[proto] + 8)), params));
            }
        }
        return Optional.empty();
    }

    /** A type's name for people: named types by name, others by kind. */
    String typeName(int id) {
        if (id == 0) {
            return "void";
        }
        if (id < 0 || id >= offsets.length) {
            return "<type " + id + " out of range>";
        }
        String n = name(id);
        return n.isEmpty() ? "<kind " + kind(id) + ">" : n;
    }

    private String string(int off) {
        if (off < 0 || off >= strLen) {
            throw new IllegalArgumentException("BTF name offset " + off + " outside the string section (" + strLen + " bytes)");
        }
        int start = strStart + off;
        int e = start;
        while (e < strStart + strLen && data.get(e) != 0) {
            e++;
        }
        byte[] s = new byte[e - start];
        data.get(start, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BTF[" + typeCount() + " types, " + data.order() + ", types " + typeStart + ".." + typeEnd + "]";
    }
}
