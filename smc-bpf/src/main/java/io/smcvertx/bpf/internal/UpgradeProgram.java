package io.smcvertx.bpf.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The upgrade: an {@code fmod_ret} program on {@code int update_socket_protocol(int family, int
 * type, int protocol)} that answers {@code IPPROTO_SMC} (256) for a TCP socket asked for by a
 * process in a selected cgroup, and 0 ("no opinion": the kernel keeps the caller's protocol, and
 * the next fmod_ret program on the hook, an MPTCP tool's, still gets its say) for everything else.
 *
 * <p>Its context is the trampoline's {@code u64 args[]}: {@code args[0]} family, {@code [1]}
 * type, {@code [2]} protocol. The arguments are C {@code int}s in 64-bit slots whose upper half
 * the calling convention leaves undefined, so they are compared as 32-bit values (JMP32), which
 * also reads the right half on big-endian s390x. {@code type} still carries SOCK_NONBLOCK and
 * SOCK_CLOEXEC here, hence the mask with {@code SOCK_TYPE_MASK} (0xf).
 *
 * <p>Selected means: the calling task's cgroup v2 id, or the id of one of its ancestors at levels
 * 1..{@value #ANCESTOR_LEVELS} (level 0 is the root), is a key of the hash map. A cgroup
 * selected once covers every cgroup later made below it (containers in a pod's cgroup) with no
 * rescan and no race; a selected cgroup deeper than {@value #ANCESTOR_LEVELS} levels covers
 * only its own processes, not its descendants.
 *
 * <pre>
 *  slot      instruction (llvm-mc syntax)         why
 *  0         r6 = r1                              keep ctx: helper calls clobber r1-r5
 *  1         r2 = *(u64 *)(r6 + 0)                family
 *  2         if w2 == 2 goto L_TYPE               AF_INET
 *  3         if w2 != 10 goto L_NO                AF_INET6, else no opinion
 *  4  L_TYPE r2 = *(u64 *)(r6 + 8)                type
 *  5         w2 &amp;= 15                             SOCK_TYPE_MASK (drop NONBLOCK/CLOEXEC)
 *  6         if w2 != 1 goto L_NO                 SOCK_STREAM only
 *  7         r2 = *(u64 *)(r6 + 16)               protocol
 *  8         if w2 == 0 goto L_SEL                0: the default, TCP
 *  9         if w2 != 6 goto L_NO                 IPPROTO_TCP; anything else (MPTCP, SCTP...) untouched
 *  10 L_SEL  call 80                              bpf_get_current_cgroup_id
 *  11        *(u64 *)(r10 - 8) = r0               the key on the stack
 *  12        r2 = r10
 *  13        r2 += -8                             r2 = &amp;key
 *  14-15     r1 = map ll                          ld_imm64, src 1 (BPF_PSEUDO_MAP_FD), imm = map fd
 *  16        call 1                               bpf_map_lookup_elem
 *  17        if r0 != 0 goto L_YES                selected
 *  then for each level L = 1..16, ten slots:
 *            r1 = L
 *            call 123                             bpf_get_current_ancestor_cgroup_id(L)
 *            if r0 == 0 goto L_NO                 the task's cgroup is shallower: no more ancestors
 *            *(u64 *)(r10 - 8) = r0
 *            r2 = r10
 *            r2 += -8
 *            r1 = map ll                          (two slots)
 *            call 1
 *            if r0 != 0 goto L_YES
 *     L_NO   r0 = 0                               no opinion
 *            exit
 *     L_YES  r0 = 256                             IPPROTO_SMC
 *            exit
 * </pre>
 * 18 + 16 x 10 + 4 = 182 slots. Straight-line code (no loop), so the verifier walks each path once.
 */
public final class UpgradeProgram {

    /** Ancestor levels looked up, 1..this. */
    public static final int ANCESTOR_LEVELS = 16;
    /** What the program answers for a selected TCP socket. */
    public static final int IPPROTO_SMC = 256;
    /** Slots in the program. */
    public static final int SLOTS = 18 + ANCESTOR_LEVELS * 10 + 4;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_TYPE_MASK = 0xf;
    static final int SOCK_STREAM = 1;
    static final int IPPROTO_TCP = 6;
    static final int HELPER_MAP_LOOKUP_ELEM = 1;
    static final int HELPER_GET_CURRENT_CGROUP_ID = 80;
    static final int HELPER_GET_CURRENT_ANCESTOR_CGROUP_ID = 123;

    private UpgradeProgram() {
    }

    /** The instructions, with {@code mapFd} as the selection map. */
    public static List<Insn> instructions(int mapFd) {
        Asm a = new Asm();
        a.op(Insn.MOV64_REG, 6, 1, 0, 0);
        a.op(Insn.LDX_DW, 2, 6, 0, 0);
        a.jump(Insn.JEQ32_IMM, 2, AF_INET, "type");
        a.jump(Insn.JNE32_IMM, 2, AF_INET6, "no");
        a.label("type");
        a.op(Insn.LDX_DW, 2, 6, 8, 0);
        a.op(Insn.AND32_IMM, 2, 0, 0, SOCK_TYPE_MASK);
        a.jump(Insn.JNE32_IMM, 2, SOCK_STREAM, "no");
        a.op(Insn.LDX_DW, 2, 6, 16, 0);
        a.jump(Insn.JEQ32_IMM, 2, 0, "select");
        a.jump(Insn.JNE32_IMM, 2, IPPROTO_TCP, "no");
        a.label("select");
        a.op(Insn.CALL, 0, 0, 0, HELPER_GET_CURRENT_CGROUP_ID);
        lookup(a, mapFd);
        for (int level = 1; level <= ANCESTOR_LEVELS; level++) {
            a.op(Insn.MOV64_IMM, 1, 0, 0, level);
            a.op(Insn.CALL, 0, 0, 0, HELPER_GET_CURRENT_ANCESTOR_CGROUP_ID);
            a.jump(Insn.JEQ64_IMM, 0, 0, "no");
            lookup(a, mapFd);
        }
        a.label("no");
        a.op(Insn.MOV64_IMM, 0, 0, 0, 0);
        a.op(Insn.EXIT, 0, 0, 0, 0);
        a.label("yes");
        a.op(Insn.MOV64_IMM, 0, 0, 0, IPPROTO_SMC);
        a.op(Insn.EXIT, 0, 0, 0, 0);
        return a.resolve();
    }

    /** Key = r0 on the stack, look it up, jump to "yes" when found. */
    private static void lookup(Asm a, int mapFd) {
        a.op(Insn.STX_DW, 10, 0, -8, 0);
        a.op(Insn.MOV64_REG, 2, 10, 0, 0);
        a.op(Insn.ADD64_IMM, 2, 0, 0, -8);
        a.op(Insn.LD_IMM64, 1, Insn.PSEUDO_MAP_FD, 0, mapFd);
        a.op(0, 0, 0, 0, 0); // second half of the 64-bit load: the upper 32 bits of the value, 0
        a.op(Insn.CALL, 0, 0, 0, HELPER_MAP_LOOKUP_ELEM);
        a.jump(Insn.JNE64_IMM, 0, 0, "yes");
    }

    /** The program as the kernel takes it ({@code insns} of BPF_PROG_LOAD), in {@code order}. */
    public static byte[] bytes(int mapFd, ByteOrder order) {
        List<Insn> insns = instructions(mapFd);
        ByteBuffer out = ByteBuffer.allocate(insns.size() * Insn.SIZE);
        insns.forEach(i -> i.encode(out, order));
        return out.array();
    }

    /** A tiny assembler: instructions plus forward jumps to named labels, resolved at the end. */
    private static final class Asm {
        private record Pending(int opcode, int dst, int imm, String label) {
        }

        private final List<Object> slots = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void op(int opcode, int dst, int src, int off, int imm) {
            slots.add(new Insn(opcode, dst, src, off, imm));
        }

        void jump(int opcode, int dst, int imm, String label) {
            slots.add(new Pending(opcode, dst, imm, label));
        }

        void label(String name) {
            labels.put(name, slots.size());
        }

        List<Insn> resolve() {
            List<Insn> out = new ArrayList<>(slots.size());
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i) instanceof Pending p) {
                    Integer target = labels.get(p.label());
                    if (target == null) {
                        throw new IllegalStateException("no label " + p.label());
                    }
                    out.add(new Insn(p.opcode(), p.dst(), 0, target - i - 1, p.imm()));
                } else {
                    out.add((Insn) slots.get(i));
                }
            }
            return out;
        }
    }
}
