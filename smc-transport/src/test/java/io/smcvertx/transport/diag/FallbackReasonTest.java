package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FallbackReasonTest {

    @ParameterizedTest
    @CsvSource({
        "0x01010000, MEM", "0x02010000, TIMEOUT_CL", "0x02020000, TIMEOUT_AL", "0x03000000, CNFERR",
        "0x03010000, PEERNOSMC", "0x03020000, IPSEC", "0x03030000, NOSMCDEV", "0x03030001, NOSMCDDEV",
        "0x03030002, NOSMCRDEV", "0x03030003, NOISM2SUPP", "0x03030004, NOV2EXT", "0x03030005, NOV2DEXT",
        "0x03030006, NOSEID", "0x03030007, NOSMCD2DEV", "0x03030008, NOUEID", "0x03030009, RELEASEERR",
        "0x0303000a, MAXCONNERR", "0x0303000b, MAXLINKERR", "0x03040000, MODEUNSUPP", "0x03050000, RMBE_EC",
        "0x03060000, OPTUNSUPP", "0x03070000, DIFFPREFIX", "0x03080000, GETVLANERR", "0x03090000, ISMVLANERR",
        "0x030a0000, NOACTLINK", "0x030b0000, NOSRVLINK", "0x030c0000, VERSMISMAT", "0x030d0000, MAX_DMB",
        "0x030e0000, NOROUTE", "0x030f0000, NOINDIRECT", "0x04000000, SYNCERR", "0x05000000, PEERDECL",
        "0x09990000, INTERR", "0x09990001, ERR_RTOK", "0x09990002, ERR_RDYLNK", "0x09990003, ERR_REGBUF"})
    void everyKernelCodeHasItsName(String hex, String name) {
        FallbackReason r = FallbackReason.of(Integer.parseUnsignedInt(hex.substring(2), 16));
        assertThat(r.name()).isEqualTo(name);
        assertThat(r.isKnown()).isTrue();
        assertThat(r.hex()).isEqualTo(hex);
        assertThat(r.description()).isNotBlank();
        assertThat(r.toString()).startsWith(hex + " " + name + " (");
    }

    @Test
    void zeroIsNone() {
        assertThat(FallbackReason.of(0).isNone()).isTrue();
        assertThat(FallbackReason.of(0).name()).isEqualTo("NONE");
        assertThat(FallbackReason.NOUEID.isNone()).isFalse();
    }

    @Test
    void unknownCodeStillPrints() {
        FallbackReason r = FallbackReason.of(0x03100000);
        assertThat(r.isKnown()).isFalse();
        assertThat(r.toString()).startsWith("0x03100000 UNKNOWN");
    }

    @Test
    void noueidAdviceNamesTheFix() {
        assertThat(FallbackReason.NOUEID.advice()).contains("UEID");
        assertThat(FallbackReason.of(0x03010000).toString()).isEqualTo("0x03010000 PEERNOSMC (peer did not indicate SMC)");
    }
}
