package io.smcvertx.disni;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The snippet of smc-disni/README.md, compiled and run in the surefire JVM (which has no libdisni). */
class ReadmeExampleTest {

    @Test
    void readinessOfOneAddress() throws Exception {
        // <readme>
        DisniReadiness readiness = DisniReadiness.create();        // looks at this JVM once: DiSNI, libdisni, flags
        RdmaReadiness r = readiness.check((Inet4Address) InetAddress.getByName("127.0.0.1")); // blocking: not on an event loop
        if (!r.isReady()) {
            System.out.println(r.status() + ": " + r.evidence() + r.remedy().map(fix -> " -> " + fix).orElse(""));
        }
        // </readme>

        // the build host has no libdisni on java.library.path, and asking must not have poisoned DiSNI
        assertThat(r.status()).isEqualTo(RdmaReadinessStatus.LIBRARY_MISSING);
        assertThat(r.remedy()).hasValueSatisfying(fix -> assertThat(fix).contains("-Djava.library.path=DIR"));
        assertThat(readiness.environmentFindings()).first().asString().startsWith("ok: DiSNI from ");
    }
}
