package io.smcvertx.bpf.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One eBPF instruction slot, {@code struct bpf_insn} (8 bytes):
 *
 * <pre>
 *  byte  0        1                2     3     4     5     6     7
 *       +--------+----------------+-----------+-----------------------+
 *       | opcode | regs           | off (s16) | imm (s32)             |
 *       +--------+----------------+-----------+-----------------------+
 *  regs, little-endian kernels: src_reg in the high nibble, dst_reg in the low one (0xSD);
 *        big-endian kernels (s390x): dst_reg high, src_reg low (0xDS) - C bit-fields follow the byte order.
 *  off and imm are in the kernel's byte order too.
 *
 *  opcode = class (bits 0-2) | size/op (bits 3-7); the ones this project uses:
 *    0x07 ALU64|ADD|K   dst += imm              0x15 JMP|JEQ|K    if dst == imm goto +off
 *    0x18 LD|IMM|DW     dst = imm64 (2 slots)   0x16 JMP32|JEQ|K  if (u32)dst == imm goto +off
 *    0x54 ALU|AND|K     (u32)dst &amp;= imm         0x55 JMP|JNE|K    if dst != imm goto +off
 *    0x79 LDX|MEM|DW    dst = *(u64 *)(src+off) 0x56 JMP32|JNE|K  if (u32)dst != imm goto +off
 *    0x7b STX|MEM|DW    *(u64 *)(dst+off) = src 0x85 JMP|CALL     call helper number imm
 *    0xb7 ALU64|MOV|K   dst = imm               0x95 JMP|EXIT     return r0
 *    0xbf ALU64|MOV|X   dst = src
 * </pre>
 *
 * Jump offsets count slots after the jump: {@code +0} is the next instruction.
 *
 * @param opcode the operation
 * @param dst    destination register, 0-10
 * @param src    source register 0-10, or a pseudo value (1 = map fd in a 64-bit load)
 * @param off    signed 16-bit offset (memory or jump)
 * @param imm    signed 32-bit immediate
 */
public record Insn(int opcode, int dst, int src, int off, int imm) {

    public static final int SIZE = 8;

    public static final int MOV64_IMM = 0xb7;
    public static final int MOV64_REG = 0xbf;
    public static final int ADD64_IMM = 0x07;
    public static final int AND32_IMM = 0x54;
    public static final int LDX_DW = 0x79;
    public static final int STX_DW = 0x7b;
    public static final int LD_IMM64 = 0x18;
    public static final int JEQ64_IMM = 0x15;
    public static final int JNE64_IMM = 0x55;
    public static final int JEQ32_IMM = 0x16;
    public static final int JNE32_IMM = 0x56;
    public static final int CALL = 0x85;
    public static final int EXIT = 0x95;
    /** {@code BPF_PSEUDO_MAP_FD}: the 64-bit load's imm is a map descriptor the verifier replaces. */
    public static final int PSEUDO_MAP_FD = 1;

    public Insn {
        if (opcode < 0 || opcode > 0xff) {
            throw new IllegalArgumentException("`opcode` must fit a byte, got " + opcode);
        }
        if (dst < 0 || dst > 15 || src < 0 || src > 15) {
            throw new IllegalArgumentException("registers must fit a nibble, got dst " + dst + ", src " + src);
        }
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("`off` must fit 16 bits, got " + off);
        }
    }

    /** Writes the 8 bytes in {@code order} (the order of the kernel that will run it). */
    public void encode(ByteBuffer out, ByteOrder order) {
        out.put((byte) opcode);
        out.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? (src << 4) | dst : (dst << 4) | src));
        ByteBuffer tail = ByteBuffer.allocate(6).order(order).putShort((short) off).putInt(imm);
        out.put(tail.array());
    }

    @Override
    public String toString() {
        return String.format("code 0x%02x dst r%d src %d off %d imm %d", opcode, dst, src, off, imm);
    }
}
