package io.smcvertx.transport.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every invalid input is refused before the kernel, with the field named. */
class ValidationTest {

    @ParameterizedTest
    @CsvSource({"net1, NET1", "NET1, NET1", "ABCDEFGHIJKLMNOP, ABCDEFGHIJKLMNOP", "0, 0", " pnet9 , PNET9"})
    void validPnetIds(String in, String normalized) {
        assertThat(PnetId.of(in).value()).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABCDEFGHIJKLMNOPQ", "NET-1", "NET 1", "NET.1", "NÉT1", "NET_1"})
    void invalidPnetIds(String in) {
        assertThatThrownBy(() -> PnetId.of(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`pnetId`");
    }

    @ParameterizedTest
    @CsvSource({"smcvertx-lab, SMCVERTX-LAB", "A, A", "A.B-C.9, A.B-C.9", "12345678901234567890123456789012, 12345678901234567890123456789012"})
    void validUeids(String in, String normalized) {
        assertThat(Ueid.of(in).value()).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-LEADING", ".LEADING", "A..B", "A_B", "A B", "123456789012345678901234567890123", "Ä"})
    void invalidUeids(String in) {
        assertThatThrownBy(() -> Ueid.of(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`ueid`");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, 255})
    void invalidDevicePorts(int port) {
        if (port == 0) {
            assertThat(PnetEntry.device("NET1", "mlx5_0", 0).devicePort()).isEqualTo(1); // smc_pnet's default
        } else {
            assertThatThrownBy(() -> PnetEntry.device("NET1", "mlx5_0", port)).hasMessageContaining("`devicePort`");
        }
    }

    @ParameterizedTest
    @CsvSource({"ethName, 'eth/0'", "ethName, 'averyveryverylongname'", "ethName, ''"})
    void invalidEthNames(String field, String name) {
        assertThatThrownBy(() -> PnetEntry.ethernet("NET1", name)).hasMessageContaining("`" + field + "`");
    }

    @ParameterizedTest
    @CsvSource({"wmem, 16384, 16384", "net.smc.rmem, 65536, 65536", "limit_smc_hs, 1, 1",
        "smcr_max_links_per_lgr, 2, 2", "smcr_max_conns_per_lgr, 16, 16", "smcr_buf_type, 2, 2"})
    void validSysctls(String name, String value, String normalized) {
        assertThat(SmcSysctl.validate(name, value)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource({"wmem, 1024", "rmem, abc", "limit_smc_hs, 2", "smcr_max_links_per_lgr, 3",
        "smcr_max_conns_per_lgr, 15", "smcr_buf_type, -1"})
    void invalidSysctlsNameTheSysctl(String name, String value) {
        assertThatThrownBy(() -> SmcSysctl.validate(name, value)).hasMessageContaining("`net.smc." + name + "`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no_such", "net.core.somaxconn"})
    void unknownSysctls(String name) {
        assertThatThrownBy(() -> SmcSysctl.validate(name, "1")).hasMessageContaining("not a known SMC sysctl");
    }
}
