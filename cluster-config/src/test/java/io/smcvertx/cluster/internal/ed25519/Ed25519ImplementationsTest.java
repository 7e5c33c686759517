package io.smcvertx.cluster.internal.ed25519;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's Ed25519 and libcrypto's, side by side: Ed25519 is deterministic, so on the same key
 * and message both must give the same 64 bytes, each must accept the other's signature, and both
 * must refuse a tampered message, a tampered signature and another key.
 */
class Ed25519ImplementationsTest {

    private static final JdkEd25519 JDK = new JdkEd25519();
    private static LibCryptoEd25519 libcrypto;

    @BeforeAll
    static void loadLibcrypto() {
        try {
            libcrypto = LibCryptoEd25519.load();
        } catch (LibCryptoEd25519.Unusable e) {
            boolean present = List.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/aarch64-linux-gnu/libcrypto.so.3",
                    "/usr/lib/s390x-linux-gnu/libcrypto.so.3", "/usr/lib64/libcrypto.so.3").stream().map(Path::of)
                    .anyMatch(Files::exists);
            if (present) {
                fail("libcrypto.so.3 is on this host but cannot be used: " + e.getMessage(), e);
            }
            Assumptions.abort("no libcrypto on this host (" + e.getMessage() + "): only the JDK's Ed25519 is there");
        }
    }

    @Test
    void identicalSignaturesAndCrossVerificationOnManyRandomKeysAndMessages() throws Exception {
        SplittableRandom rnd = new SplittableRandom(0x5eed_25519L);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
        KeyPair other = gen.generateKeyPair();
        for (int i = 0; i < 300; i++) {
            KeyPair kp = gen.generateKeyPair();
            byte[] msg = new byte[i < 4 ? i : rnd.nextInt(4096)];
            rnd.nextBytes(msg);
            byte[] byJdk = JDK.signer(kp.getPrivate()).sign(msg);
            byte[] byLib = libcrypto.signer(kp.getPrivate()).sign(msg);
            assertThat(byLib).as("key %d, %d-byte message", i, msg.length).hasSize(64).isEqualTo(byJdk);

            PublicKey pub = kp.getPublic();
            Ed25519.Verifier libVerifier = libcrypto.verifier(pub);
            assertThat(JDK.verify(pub, msg, byLib)).isTrue();
            assertThat(libcrypto.verify(pub, msg, byJdk)).isTrue();
            assertThat(libVerifier.verify(msg, byJdk)).isTrue();

            byte[] badMsg = msg.length == 0 ? new byte[] {1} : msg.clone();
            if (msg.length > 0) {
                badMsg[rnd.nextInt(msg.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            byte[] badSig = byJdk.clone();
            badSig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
            for (Ed25519 e : List.of(JDK, libcrypto)) {
                assertThat(e.verify(pub, badMsg, byJdk)).as("%s, tampered message", e.name()).isFalse();
                assertThat(e.verify(pub, msg, badSig)).as("%s, tampered signature", e.name()).isFalse();
                assertThat(e.verify(other.getPublic(), msg, byJdk)).as("%s, another key", e.name()).isFalse();
                assertThat(e.verify(pub, msg, java.util.Arrays.copyOf(byJdk, 63))).as("%s, short", e.name()).isFalse();
                assertThat(e.verify(pub, msg, new byte[0])).as("%s, empty", e.name()).isFalse();
            }
            assertThat(libVerifier.verify(badMsg, byJdk)).isFalse();
            assertThat(libVerifier.verify(msg, badSig)).isFalse();
        }
    }

    @Test
    void rfc8032TestVectors() throws Exception {
        // RFC 8032, section 7.1, TESTs 1-3: secret key, public key, message, signature
        String[][] vectors = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
        };
        HexFormat hex = HexFormat.of();
        for (String[] v : vectors) {
            var priv = RawKeys.privateKey(hex.parseHex(v[0]));
            PublicKey pub = RawKeys.publicKey(hex.parseHex(v[1]));
            byte[] msg = hex.parseHex(v[2]);
            byte[] sig = hex.parseHex(v[3]);
            assertThat(RawKeys.publicBytes(pub)).contains(hex.parseHex(v[1]));
            for (Ed25519 e : List.of(JDK, libcrypto)) {
                assertThat(e.signer(priv).sign(msg)).as("%s signs vector %s", e.name(), v[1]).isEqualTo(sig);
                assertThat(e.verify(pub, msg, sig)).as("%s verifies vector %s", e.name(), v[1]).isTrue();
            }
        }
    }

    @Test
    void theSettingChoosesAndABadOneIsNamed() {
        Ed25519.Choice jdk = Ed25519.choose("jdk");
        assertThat(jdk.engine()).isInstanceOf(JdkEd25519.class);
        assertThat(jdk.reason()).contains("forced by smcvertx.ed25519=jdk");
        Ed25519.Choice auto = Ed25519.choose(" AUTO ");
        assertThat(auto.engine()).isInstanceOf(LibCryptoEd25519.class);
        assertThat(auto.reason()).contains("RFC 8032 test 1");
        assertThat(auto.engine().detail()).startsWith("OpenSSL ").contains("through FFM");
        assertThat(Ed25519.choose("libcrypto").engine()).isInstanceOf(LibCryptoEd25519.class);
        assertThatThrownBy(() -> Ed25519.choose("bouncycastle")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`smcvertx.ed25519` must be auto, jdk or libcrypto, got: bouncycastle");
    }

    /** A JVM whose native access is denied: the JDK's is used, and a demand for libcrypto is refused at every use, saying why. */
    @Test
    void whereNativeAccessIsDeniedTheJdksIsUsedAndADemandForLibcryptoSaysWhy() throws Exception {
        assertThat(probe()).contains("CHOICE jdk (").contains("libcrypto not used: native access is denied");
        String demanded = probe("-Dsmcvertx.ed25519=libcrypto");
        assertThat(demanded.lines().filter(l -> l.startsWith("REFUSED smcvertx.ed25519=libcrypto, but libcrypto cannot be used:"
                + " native access is denied"))).as(demanded).hasSize(2);
        assertThat(probe("-Dsmcvertx.ed25519=jdk")).contains("CHOICE jdk (").contains("forced by smcvertx.ed25519=jdk");
    }

    private static String probe(String... flags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--illegal-native-access=deny", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** What the probe JVM runs: asks twice, prints the choice or the refusal. */
    public static final class Probe {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) {
                try {
                    System.out.println("CHOICE " + Ed25519.inUse().engine() + ": " + Ed25519.inUse().reason());
                } catch (IllegalStateException e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
        }
    }

    @Test
    void aKeyThatIsNotEd25519VerifiesNothing() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThat(libcrypto.verify(rsa.getPublic(), new byte[] {1}, new byte[64])).isFalse();
        assertThat(JDK.verify(rsa.getPublic(), new byte[] {1}, new byte[64])).isFalse();
        assertThat(libcrypto.verifier(rsa.getPublic()).verify(new byte[] {1}, new byte[64])).isFalse();
    }
}
