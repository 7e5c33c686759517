package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedRevisionTest {

    private final OperatorKey key = OperatorKey.generate();
    private final TrustedKeys trust = TrustedKeys.of(key.publicKey());

    @Test
    void signedRevisionVerifies() throws Exception {
        SignedRevision r = SignedRevision.sign(FleetConfigJsonTest.sample(4), key);
        SignedRevision back = SignedRevision.verify(r.encoded(), trust);
        assertThat(back).isEqualTo(r);
        assertThat(back.config()).isEqualTo(FleetConfigJsonTest.sample(4));
        assertThat(back.keyId()).isEqualTo(key.keyId());
    }

    @Test
    void tamperedPayloadIsRefused() {
        SignedRevision r = SignedRevision.sign(FleetConfigJsonTest.sample(4), key);
        String env = new String(r.encoded(), StandardCharsets.UTF_8);
        String payload = new String(r.payload(), StandardCharsets.UTF_8).replace("SMCVERTX-PROD", "EVIL");
        String tampered = env.replaceFirst("\"payload\":\"[^\"]*\"", "\"payload\":\""
                + Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "\"");
        assertThatThrownBy(() -> SignedRevision.verify(tampered.getBytes(StandardCharsets.UTF_8), trust))
                .isInstanceOfSatisfying(RevisionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionRejectedException.Reason.BAD_SIGNATURE));
    }

    @Test
    void unsignedUnknownKeyAndGarbageAreRefused() {
        SignedRevision r = SignedRevision.sign(FleetConfigJsonTest.sample(4), key);
        String env = new String(r.encoded(), StandardCharsets.UTF_8);
        String unsigned = env.replaceFirst(",\"signature\":\"[^\"]*\"", "");
        assertThatThrownBy(() -> SignedRevision.verify(unsigned.getBytes(StandardCharsets.UTF_8), trust))
                .isInstanceOfSatisfying(RevisionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionRejectedException.Reason.UNSIGNED));
        SignedRevision other = SignedRevision.sign(FleetConfigJsonTest.sample(4), OperatorKey.generate());
        assertThatThrownBy(() -> SignedRevision.verify(other.encoded(), trust))
                .isInstanceOfSatisfying(RevisionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionRejectedException.Reason.UNKNOWN_KEY));
        assertThatThrownBy(() -> SignedRevision.verify("{\"revision\":5}".getBytes(StandardCharsets.UTF_8), trust))
                .isInstanceOfSatisfying(RevisionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionRejectedException.Reason.MALFORMED));
    }

    @Test
    void keysSurviveTheirFiles(@TempDir Path dir) throws Exception {
        key.save(dir.resolve("op.key"), dir.resolve("op.pub"));
        OperatorKey loaded = OperatorKey.load(dir.resolve("op.key"));
        assertThat(loaded.keyId()).isEqualTo(key.keyId());
        TrustedKeys fromFile = TrustedKeys.load(java.util.List.of(dir.resolve("op.pub")));
        SignedRevision r = SignedRevision.sign(FleetConfigJsonTest.sample(1), loaded);
        assertThat(SignedRevision.verify(r.encoded(), fromFile).revision()).isEqualTo(1);
    }
}
