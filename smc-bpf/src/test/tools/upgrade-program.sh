#!/usr/bin/env bash
# Writes the expected encoding of the upgrade program, computed by an assembler that is not ours:
# LLVM's (Debian's llvm-14: llvm-mc + llvm-objcopy), for little- and big-endian BPF.
#   upgrade-program.sh OUTDIR
# Output: upgrade-program.s (the listing, written by hand from UpgradeProgram's Javadoc, with the
# map as fd 7), upgrade-program.el.hex and .eb.hex (one 8-byte slot per line). The one thing the
# assembler cannot express is src_reg = 1 (BPF_PSEUDO_MAP_FD) in "r1 = 7 ll": UpgradeProgramTest
# sets that nibble in the expected bytes and says so.
set -euo pipefail
out=${1:?usage: upgrade-program.sh OUTDIR}
s=$out/upgrade-program.s
lookup() {
  printf '\t*(u64 *)(r10 - 8) = r0\n\tr2 = r10\n\tr2 += -8\n\tr1 = 7 ll\n\tcall 1\n\tif r0 != 0 goto L_YES\n'
}
{
  printf '\tr6 = r1\n\tr2 = *(u64 *)(r6 + 0)\n\tif w2 == 2 goto L_TYPE\n\tif w2 != 10 goto L_NO\n'
  printf 'L_TYPE:\n\tr2 = *(u64 *)(r6 + 8)\n\tw2 &= 15\n\tif w2 != 1 goto L_NO\n'
  printf '\tr2 = *(u64 *)(r6 + 16)\n\tif w2 == 0 goto L_SEL\n\tif w2 != 6 goto L_NO\n'
  printf 'L_SEL:\n\tcall 80\n'
  lookup
  for level in $(seq 1 16); do
    printf '\tr1 = %d\n\tcall 123\n\tif r0 == 0 goto L_NO\n' "$level"
    lookup
  done
  printf 'L_NO:\n\tr0 = 0\n\texit\nL_YES:\n\tr0 = 256\n\texit\n'
} > "$s"
for t in el eb; do
  llvm-mc -triple bpf$t -mattr=+alu32 -filetype=obj "$s" -o "$out/upgrade.$t.o"
  llvm-objcopy -O binary --only-section=.text "$out/upgrade.$t.o" "$out/upgrade.$t.bin"
  xxd -p -c 8 "$out/upgrade.$t.bin" > "$out/upgrade-program.$t.hex"
  rm -f "$out/upgrade.$t.o" "$out/upgrade.$t.bin"
done
echo "$(llvm-mc --version | sed -n 's/.*LLVM version/LLVM/p' | head -1): $(wc -l < "$out/upgrade-program.el.hex") slots"
