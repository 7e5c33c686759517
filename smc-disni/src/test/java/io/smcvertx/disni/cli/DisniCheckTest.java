package io.smcvertx.disni.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.disni.HostBuild;
import io.smcvertx.disni.RdmaReadinessStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command line of the readiness check, and its exit code when a verdict is not the expected one. */
class DisniCheckTest {

    @Test
    void addressesWithAndWithoutExpectations() {
        var wanted = DisniCheck.parse("10.98.0.1=READY", "127.0.0.1");

        assertThat(wanted.values()).containsExactly(Optional.of(RdmaReadinessStatus.READY), Optional.empty());
        assertThatThrownBy(() -> DisniCheck.parse("10.98.0.1=FAST", "fe80::1", "host.example"))
                .hasMessageContaining("`10.98.0.1=FAST`: the expected status must be one of [DISNI_MISSING")
                .hasMessageContaining("`fe80::1`: the address must be IPv4 in dotted form")
                .hasMessageContaining("`host.example`: the address must be IPv4 in dotted form");
    }

    @Test
    void anUnexpectedVerdictFailsTheRunAndSaysWhichWasExpected() throws Exception {
        HostBuild.Result r = HostBuild.java(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED", "-Djava.library.path=/nonexistent"),
                DisniCheck.class, "127.0.0.1=READY", "192.0.2.1");

        assertThat(r.rc()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString())
                .contains("disni-check: 127.0.0.1 LIBRARY_MISSING: ")
                .contains("[EXPECTED READY]")
                .contains("disni-check: 192.0.2.1 LIBRARY_MISSING: ")
                .contains("disni-check: FAIL: 1 verdict(s) differ from the expected");
    }
}
