package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.internal.HostStatusJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host status signed with the host's key, enrolled by the operator: what a writer on the status
 * map (anyone on the Hazelcast port) can and cannot make a reader believe.
 */
class SignedHostStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorKey operator = OperatorKey.generate();
    private final TrustedKeys trust = TrustedKeys.of(operator.publicKey());
    private final HostKey dbKey = HostKey.generate();
    private final HostEnrollment dbEnrollment = HostEnrollment.enroll("db-7", dbKey.publicKey(), operator);

    static HostStatus status(String host, long applied) {
        return new HostStatus(host, applied, applied, true, Optional.empty(), Optional.empty(), Optional.empty(), false,
                List.of(), Optional.empty(), Optional.empty(), List.of(), Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Test
    void aStatusSignedWithTheEnrolledHostKeyVerifies() {
        String stored = SignedHostStatus.sign(status("db-7", 3), dbKey, dbEnrollment);
        HostReport r = SignedHostStatus.verify("db-7", stored, trust);
        assertThat(r.trust()).isEqualTo(HostReport.Trust.VERIFIED);
        assertThat(r.verified()).isTrue();
        assertThat(r.hasApplied(3)).isTrue();
        assertThat(r.status()).contains(status("db-7", 3));
        assertThat(r.detail()).contains("db-7", dbKey.keyId(), operator.keyId());
        assertThat(r.trustLabel()).isEqualTo("verified");
    }

    @Test
    void anUnsignedStatusIsShownButNeverCountsAsApplied() {
        HostReport r = SignedHostStatus.verify("db-7", SignedHostStatus.unsigned(status("db-7", 3)), trust);
        assertThat(r.trust()).isEqualTo(HostReport.Trust.UNSIGNED);
        assertThat(r.status()).contains(status("db-7", 3));
        assertThat(r.hasApplied(3)).as("only the host's own word counts").isFalse();
        assertThat(r.trustLabel()).isEqualTo("UNVERIFIED (unsigned)");
        // the plain JSON of versions before signed status reads as unsigned too
        HostReport legacy = SignedHostStatus.verify("db-7", HostStatusJson.write(status("db-7", 3)), trust);
        assertThat(legacy.trust()).isEqualTo(HostReport.Trust.UNSIGNED);
    }

    @Test
    void aChangedStatusNoLongerMatchesItsSignature() throws Exception {
        ObjectNode env = (ObjectNode) JSON.readTree(SignedHostStatus.sign(status("db-7", 3), dbKey, dbEnrollment));
        String forgedPayload = HostStatusJson.write(status("db-7", 4)); // claims a revision the host never applied
        env.put("payload", Base64.getEncoder().encodeToString(forgedPayload.getBytes(StandardCharsets.UTF_8)));
        HostReport r = SignedHostStatus.verify("db-7", env.toString(), trust);
        assertThat(r.trust()).isEqualTo(HostReport.Trust.FORGED);
        assertThat(r.detail()).contains("tampered");
        assertThat(r.hasApplied(4)).isFalse();
    }

    @Test
    void theTransparentSectionIsSignedWithTheRest() throws Exception {
        HostStatus attached = withTransparent(status("db-7", 3), true);
        ObjectNode env = (ObjectNode) JSON.readTree(SignedHostStatus.sign(attached, dbKey, dbEnrollment));
        assertThat(SignedHostStatus.verify("db-7", env.toString(), trust).status()).contains(attached);
        // a writer on the map claims the BPF program is not attached (or is) where the host said otherwise
        String forged = HostStatusJson.write(withTransparent(status("db-7", 3), false));
        env.put("payload", Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
        assertThat(SignedHostStatus.verify("db-7", env.toString(), trust).trust()).isEqualTo(HostReport.Trust.FORGED);
    }

    private static HostStatus withTransparent(HostStatus s, boolean attached) {
        TransparentStatus t = new TransparentStatus(List.of("/kubepods.slice/pod-*.slice"), attached,
                attached ? List.of("/kubepods.slice/pod-a.slice (id 42)") : List.of(), List.of(), Optional.empty(),
                attached ? "program 7" : "");
        return new HostStatus(s.host(), s.appliedRevision(), s.desiredRevision(), s.kernelSmc(), s.kernelSmcCause(),
                s.readOnly(), s.seid(), s.seidEnabled(), s.drift(), s.lastError(), s.rejected(), s.notes(), s.updatedAt(),
                Optional.of(t));
    }

    @Test
    void aKeyTheAttackerMadeAndEnrolledHimselfIsNotTrusted() {
        OperatorKey attacker = OperatorKey.generate();
        HostKey fake = HostKey.generate();
        String stored = SignedHostStatus.sign(status("db-7", 3), fake, HostEnrollment.enroll("db-7", fake.publicKey(), attacker));
        HostReport r = SignedHostStatus.verify("db-7", stored, trust);
        assertThat(r.trust()).isEqualTo(HostReport.Trust.UNTRUSTED_KEY);
        assertThat(r.detail()).contains(attacker.keyId());
    }

    @Test
    void anotherHostsKeyCannotSpeakForThisHost() throws Exception {
        // web-1 is enrolled too; its status, filed under db-7, or its key signing a db-7 status: both refused
        HostKey webKey = HostKey.generate();
        HostEnrollment webEnrollment = HostEnrollment.enroll("web-1", webKey.publicKey(), operator);
        String webStatus = SignedHostStatus.sign(status("web-1", 3), webKey, webEnrollment);
        HostReport moved = SignedHostStatus.verify("db-7", webStatus, trust);
        assertThat(moved.trust()).isEqualTo(HostReport.Trust.FORGED);
        assertThat(moved.detail()).contains("filed under host db-7", "web-1");

        ObjectNode env = (ObjectNode) JSON.readTree(webStatus);
        env.put("payload", Base64.getEncoder().encodeToString(
                HostStatusJson.write(status("db-7", 3)).getBytes(StandardCharsets.UTF_8)));
        HostReport borrowed = SignedHostStatus.verify("db-7", env.toString(), trust);
        assertThat(borrowed.trust()).isEqualTo(HostReport.Trust.FORGED);
        assertThat(borrowed.detail()).contains("key of host web-1");
        assertThatThrownBy(() -> SignedHostStatus.sign(status("db-7", 3), webKey, webEnrollment))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("web-1");
    }

    @Test
    void anEnrollmentWhoseHostNameWasChangedIsForged() throws Exception {
        ObjectNode env = (ObjectNode) JSON.readTree(SignedHostStatus.sign(status("db-7", 3), dbKey, dbEnrollment));
        ((ObjectNode) env.get("enrollment")).put("host", "db-8");
        env.put("payload", Base64.getEncoder().encodeToString(
                HostStatusJson.write(status("db-8", 3)).getBytes(StandardCharsets.UTF_8)));
        HostReport r = SignedHostStatus.verify("db-8", env.toString(), trust);
        assertThat(r.trust()).isEqualTo(HostReport.Trust.FORGED);
        assertThat(r.detail()).contains("enrollment of host db-8", "tampered");
    }

    @Test
    void anOlderStatusTheHostReallySignedStillVerifies() {
        // the documented limit: a writer can put back an older genuine status; its updatedAt shows its age
        String old = SignedHostStatus.sign(status("db-7", 2), dbKey, dbEnrollment);
        HostReport r = SignedHostStatus.verify("db-7", old, trust);
        assertThat(r.verified()).isTrue();
        assertThat(r.status().orElseThrow().updatedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Test
    void garbageIsUnreadableNeverAnException() {
        for (String junk : new String[] {"", "[]", "{", "{\"format\":\"smcvertx-host-status/1\",\"payload\":\"%%%\"}",
            "{\"format\":\"smcvertx-host-status/1\",\"payload\":\"e30=\"}", "{\"format\":\"other/9\"}", "{\"host\":5}"}) {
            HostReport r = SignedHostStatus.verify("db-7", junk, trust);
            assertThat(r.trust()).as(junk).isEqualTo(HostReport.Trust.UNREADABLE);
            assertThat(r.status()).isEmpty();
        }
    }

    @Test
    void enrollmentsAndHostKeysSurviveTheirFiles(@TempDir Path dir) throws Exception {
        dbKey.save(dir.resolve("host.key"), dir.resolve("host.key.pub"));
        dbEnrollment.save(dir.resolve("db-7.enrollment"));
        HostKey key = HostKey.load(dir.resolve("host.key"));
        HostEnrollment e = HostEnrollment.load(dir.resolve("db-7.enrollment"));
        assertThat(key.keyId()).isEqualTo(dbKey.keyId());
        assertThat(HostKey.loadPublic(dir.resolve("host.key.pub"))).isEqualTo(dbKey.publicKey());
        e.checkFor("db-7", key, trust);
        assertThatThrownBy(() -> e.checkFor("db-8", key, trust)).hasMessageContaining("for host db-7, this is host db-8");
        assertThatThrownBy(() -> e.checkFor("db-7", HostKey.generate(), trust)).hasMessageContaining("not of this host's key");
        assertThatThrownBy(() -> e.verify(TrustedKeys.of(OperatorKey.generate().publicKey())))
                .hasMessageContaining("not trusted");
        java.nio.file.Files.writeString(dir.resolve("bad.enrollment"), "{\"format\":\"smcvertx-host-enrollment/1\"}");
        assertThatThrownBy(() -> HostEnrollment.load(dir.resolve("bad.enrollment")))
                .hasMessageContaining("bad.enrollment").hasMessageContaining("`host` is missing");
    }
}
