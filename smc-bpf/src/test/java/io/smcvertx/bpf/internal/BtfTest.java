package io.smcvertx.bpf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The BTF reader on blobs built here by hand (every kind, both byte orders) and on this host's vmlinux. */
public class BtfTest {

    @Test
    void findsTheHookAfterEveryKindLittleEndian() {
        checkEveryKind(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void findsTheHookAfterEveryKindBigEndian() {
        checkEveryKind(ByteOrder.BIG_ENDIAN);
    }

    private static void checkEveryKind(ByteOrder order) {
        BtfBuilder b = new BtfBuilder(order);
        int intId = b.type("int", Btf.KIND_INT, 0, 4, 0x01000020); // signed, 32 bits
        int u64 = b.type("long long unsigned int", Btf.KIND_INT, 0, 8, 64);
        b.type("", 2, 0, intId);                                   // PTR -> int
        b.type("", 3, 0, 0, intId, intId, 4);                      // ARRAY int[4]
        b.type("sock", 4, 2, 16, b.str("a"), intId, 0, b.str("b"), u64, 64); // STRUCT, 2 members
        b.type("u", 5, 1, 8, b.str("x"), u64, 0);                  // UNION, 1 member
        b.type("e", 6, 2, 4, b.str("E0"), 0, b.str("E1"), 1);      // ENUM, 2 values
        b.type("fwd", 7, 0, 0);                                    // FWD
        b.type("u32", 8, 0, intId);                                // TYPEDEF
        b.type("", 9, 0, intId);                                   // VOLATILE
        b.type("", 10, 0, intId);                                  // CONST
        b.type("", 11, 0, intId);                                  // RESTRICT
        int other = b.type("", Btf.KIND_FUNC_PROTO, 1, intId, 0, intId);
        b.type("other", Btf.KIND_FUNC, 1, other);
        b.type("v", 14, 0, intId, 1);                              // VAR, global
        b.type(".data", 15, 1, 4, 0, 0, 4);                        // DATASEC, 1 var (type 0: not followed)
        b.type("double", 16, 0, 8);                                // FLOAT
        b.type("tag", 17, 0, intId, -1);                           // DECL_TAG on the type
        b.type("user", 18, 0, intId);                              // TYPE_TAG
        b.type("e64", 19, 1, 8, b.str("BIG"), 1, 0);               // ENUM64, 1 value (lo, hi)
        int proto = b.type("", Btf.KIND_FUNC_PROTO, 3, intId,
                b.str("family"), intId, b.str("type"), intId, b.str("protocol"), intId);
        int func = b.type("update_socket_protocol", Btf.KIND_FUNC, 1, proto);
        b.type("after", 8, 0, intId);

        Btf btf = Btf.parse(b.blob());
        assertThat(btf.order()).isEqualTo(order);
        assertThat(btf.typeCount()).isEqualTo(func + 1);
        for (int kind = 1; kind <= 19; kind++) {
            assertThat(btf.count(kind)).as("kind %d", kind).isPositive();
        }
        Btf.Function f = btf.function("update_socket_protocol").orElseThrow();
        assertThat(f.id()).isEqualTo(func);
        assertThat(f.protoId()).isEqualTo(proto);
        assertThat(f.signature()).isEqualTo("int update_socket_protocol(int family, int type, int protocol)");
        assertThat(btf.function("missing_function")).isEmpty();
    }

    @Test
    void refusesWhatIsNotBtf() {
        assertThatThrownBy(() -> Btf.parse(new byte[10])).hasMessageContaining("too short");
        byte[] elf = new byte[32];
        elf[0] = 0x7f;
        elf[1] = 'E';
        assertThatThrownBy(() -> Btf.parse(elf)).hasMessageContaining("not BTF: magic 0x457f");
    }

    @Test
    void anUnknownKindStopsTheWalkWithWhere() {
        BtfBuilder b = new BtfBuilder(ByteOrder.LITTLE_ENDIAN);
        b.type("int", Btf.KIND_INT, 0, 4, 32);
        b.type("future", 20, 0, 0);
        assertThatThrownBy(() -> Btf.parse(b.blob())).hasMessageContaining("type 2").hasMessageContaining("kind 20");
    }

    @Test
    void aRecordRunningPastTheSectionIsRefused() {
        BtfBuilder b = new BtfBuilder(ByteOrder.LITTLE_ENDIAN);
        b.type("s", 4, 3, 8, 0, 1, 0); // STRUCT says 3 members, carries 1
        assertThatThrownBy(() -> Btf.parse(b.blob())).hasMessageContaining("past the type section");
    }

    @Test
    void thisHostsKernelBtf() throws IOException {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        assumeTrue(Files.isReadable(vmlinux), "this host shows no kernel BTF");
        Btf btf = Btf.parse(Files.readAllBytes(vmlinux));
        // the walk consumed the type section exactly (parse checks it) and saw what a kernel has
        assertThat(btf.typeCount()).isGreaterThan(10_000);
        assertThat(btf.count(Btf.KIND_FUNC)).isGreaterThan(1_000);
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        int major = Integer.parseInt(release.split("\\.")[0]);
        int minor = Integer.parseInt(release.split("\\.")[1]);
        if (major > 6 || (major == 6 && minor >= 6)) {
            assertThat(btf.function("update_socket_protocol").orElseThrow().signature())
                    .isEqualTo("int update_socket_protocol(int family, int type, int protocol)");
        }
    }

    /** Writes BTF by the layout of include/uapi/linux/btf.h: 12-byte type records, then kind data. */
    public static final class BtfBuilder {
        private final ByteOrder order;
        private final ByteArrayOutputStream types = new ByteArrayOutputStream();
        private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
        private int next = 1;

        public BtfBuilder(ByteOrder order) {
            this.order = order;
            strings.write(0);
        }

        public int str(String s) {
            if (s.isEmpty()) {
                return 0;
            }
            int off = strings.size();
            strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        }

        /** name, kind, vlen, size-or-type, then the kind's extra u32s. */
        public int type(String name, int kind, int vlen, int sizeOrType, int... extra) {
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * extra.length).order(order);
            b.putInt(str(name)).putInt((kind << 24) | vlen).putInt(sizeOrType);
            for (int e : extra) {
                b.putInt(e);
            }
            types.writeBytes(b.array());
            return next++;
        }

        public byte[] blob() {
            byte[] t = types.toByteArray();
            byte[] s = strings.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(order);
            b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(24);
            b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
            b.put(t).put(s);
            return b.array();
        }
    }
}
