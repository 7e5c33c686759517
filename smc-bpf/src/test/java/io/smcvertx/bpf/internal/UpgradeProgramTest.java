package io.smcvertx.bpf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The program's bytes against an assembler that is not ours: {@code src/test/tools/upgrade-program.sh}
 * assembled the hand-written listing with LLVM's BPF back end (llvm-mc 14) for both byte orders.
 */
class UpgradeProgramTest {

    private static final int MAP_FD = 7;

    @Test
    void littleEndianMatchesLlvm() throws IOException {
        assertSameSlots(UpgradeProgram.bytes(MAP_FD, ByteOrder.LITTLE_ENDIAN), expected("el", ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void bigEndianMatchesLlvm() throws IOException {
        assertSameSlots(UpgradeProgram.bytes(MAP_FD, ByteOrder.BIG_ENDIAN), expected("eb", ByteOrder.BIG_ENDIAN));
    }

    @Test
    void oneSlotLaidOutByHand() {
        // *(u64 *)(r10 - 8) = r0: STX|MEM|DW 0x7b, dst r10, src r0, off -8 (0xfff8), imm 0
        assertThat(hex(new Insn(Insn.STX_DW, 10, 0, -8, 0), ByteOrder.LITTLE_ENDIAN)).isEqualTo("7b0af8ff00000000");
        assertThat(hex(new Insn(Insn.STX_DW, 10, 0, -8, 0), ByteOrder.BIG_ENDIAN)).isEqualTo("7ba0fff800000000");
        // r0 = 256: ALU64|MOV|K 0xb7, imm 0x100
        assertThat(hex(new Insn(Insn.MOV64_IMM, 0, 0, 0, 256), ByteOrder.LITTLE_ENDIAN)).isEqualTo("b700000000010000");
        assertThat(hex(new Insn(Insn.MOV64_IMM, 0, 0, 0, 256), ByteOrder.BIG_ENDIAN)).isEqualTo("b700000000000100");
    }

    @Test
    void shapeOfTheProgram() {
        List<Insn> insns = UpgradeProgram.instructions(MAP_FD);
        assertThat(insns).hasSize(UpgradeProgram.SLOTS).hasSize(182);
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            int cls = in.opcode() & 0x07;
            boolean jump = (cls == 0x05 || cls == 0x06) && in.opcode() != Insn.CALL && in.opcode() != Insn.EXIT;
            if (jump) {
                // every jump goes forward and lands inside the program: the verifier's own first check
                assertThat(in.off()).as("slot %d", i).isPositive();
                assertThat(i + 1 + in.off()).as("slot %d", i).isLessThan(insns.size());
            }
        }
        assertThat(insns.get(insns.size() - 1).opcode()).isEqualTo(Insn.EXIT);
        assertThat(insns.get(insns.size() - 2)).isEqualTo(new Insn(Insn.MOV64_IMM, 0, 0, 0, UpgradeProgram.IPPROTO_SMC));
        // 17 lookups (the task's cgroup and 16 ancestor levels), each with the map as BPF_PSEUDO_MAP_FD
        assertThat(insns.stream().filter(i -> i.opcode() == Insn.LD_IMM64)).hasSize(17)
                .allSatisfy(i -> assertThat(i.src()).isEqualTo(Insn.PSEUDO_MAP_FD))
                .allSatisfy(i -> assertThat(i.imm()).isEqualTo(MAP_FD));
    }

    private static void assertSameSlots(byte[] actual, List<String> expected) {
        ByteBuffer b = ByteBuffer.wrap(actual);
        assertThat(actual.length).isEqualTo(expected.size() * 8);
        for (int i = 0; i < expected.size(); i++) {
            byte[] slot = new byte[8];
            b.get(slot);
            assertThat(HexFormat.of().formatHex(slot)).as("slot %d", i).isEqualTo(expected.get(i));
        }
    }

    /**
     * LLVM's slots, with src_reg set to 1 (BPF_PSEUDO_MAP_FD) in the first slot of each
     * {@code r1 = 7 ll}: the assembler writes 0 there, the kernel wants 1 for a map descriptor.
     */
    private static List<String> expected(String suffix, ByteOrder order) throws IOException {
        try (InputStream in = UpgradeProgramTest.class.getResourceAsStream("upgrade-program." + suffix + ".hex")) {
            List<String> slots = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            String plain = order == ByteOrder.LITTLE_ENDIAN ? "1801" : "1810";
            return slots.stream().map(s -> s.startsWith(plain) ? "1811" + s.substring(4) : s).toList();
        }
    }

    private static String hex(Insn i, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(8);
        i.encode(b, order);
        return HexFormat.of().formatHex(b.array());
    }
}
