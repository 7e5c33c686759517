package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for what reaches a member from outside: the fleet config JSON an operator
 * publishes, the signed revision envelope and the host status anyone on the Hazelcast port can
 * write, and a host enrollment file. Each has one declared failure ({@link
 * ConfigValidationException}, {@link RevisionRejectedException}, none at all for host status,
 * {@link IllegalArgumentException}); anything else is a bug the fuzzer reports. A config that
 * parses must come back equal from its canonical bytes (what is signed is what was meant).
 *
 * <p>Without {@code JAZZER_FUZZ} these run as plain tests over the seeds in
 * {@code src/test/resources/io/smcvertx/cluster/ClusterConfigFuzzTestInputs/} (and every crash the
 * fuzzer found); {@code deploy/fuzz/run.sh} fuzzes.
 */
class ClusterConfigFuzzTest {

    private static final OperatorKey OPERATOR = OperatorKey.generate();
    private static final TrustedKeys TRUST = TrustedKeys.of(OPERATOR.publicKey());

    @FuzzTest(maxDuration = "10s")
    void fleetConfigJson(byte[] input) {
        FleetConfig c;
        try {
            c = FleetConfigJson.parse(new String(input, StandardCharsets.UTF_8));
        } catch (ConfigValidationException declared) {
            return;
        }
        assertThat(FleetConfigJson.parse(new String(FleetConfigJson.canonical(c), StandardCharsets.UTF_8))).isEqualTo(c);
        try {
            assertThat(SignedRevision.verify(SignedRevision.sign(c, OPERATOR).encoded(), TRUST).config()).isEqualTo(c);
        } catch (RevisionRejectedException e) {
            throw new AssertionError("a valid config, signed by a trusted key, was rejected: " + e.getMessage(), e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void revisionEnvelope(byte[] envelope) {
        try {
            SignedRevision.decodeUnverified(envelope).config();
        } catch (RevisionRejectedException declared) {
            // malformed, or a payload that is not a valid config
        }
        try {
            SignedRevision.verify(envelope, TRUST);
        } catch (RevisionRejectedException declared) {
            // nothing the fuzzer makes is signed by OPERATOR
        }
    }

    @FuzzTest(maxDuration = "5s")
    void hostStatus(byte[] stored) {
        HostReport r = SignedHostStatus.verify("db-7", new String(stored, StandardCharsets.UTF_8), TRUST);
        assertThat(r.verified()).as("nothing the fuzzer writes is signed by an enrolled host key").isFalse();
        assertThat(r.hasApplied(1)).isFalse();
    }

    @FuzzTest(maxDuration = "5s")
    void hostEnrollment(byte[] encoded) {
        try {
            HostEnrollment.decode(encoded);
        } catch (IllegalArgumentException declared) {
            // not an enrollment
        }
    }
}
