package io.smcvertx.cluster.internal.ed25519;

import java.lang.System.Logger.Level;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * One Ed25519 implementation: the JDK's ({@code Signature.getInstance("Ed25519")}, pure Java) or
 * OpenSSL's libcrypto, called through FFM. Ed25519 is deterministic (RFC 8032), so both make the
 * same signature from the same key and message, and each verifies the other's.
 *
 * <p>The process uses one, chosen on first use ({@link #inUse()}): libcrypto when it loads and
 * passes RFC 8032's first test vector, else the JDK's, with the reason logged. System property
 * {@value #PROPERTY} (or environment variable {@value #ENV}) set to {@code jdk} forces the JDK's;
 * {@code libcrypto} demands libcrypto and fails if it is not usable; {@code auto} (the default)
 * prefers libcrypto.
 */
public abstract sealed class Ed25519 permits JdkEd25519, LibCryptoEd25519 {

    /** System property that chooses the implementation: {@code auto}, {@code jdk} or {@code libcrypto}. */
    public static final String PROPERTY = "smcvertx.ed25519";
    /** Environment variable read when the property is not set (inherited by child JVMs). */
    public static final String ENV = "SMCVERTX_ED25519";
    /** Signature length of Ed25519, in bytes. */
    public static final int SIGNATURE_BYTES = 64;

    private static final System.Logger LOG = System.getLogger(Ed25519.class.getName());

    /** A private key made ready to sign many messages. */
    public interface Signer {
        byte[] sign(byte[] data);
    }

    /** A public key made ready to verify many messages. */
    public interface Verifier {
        /** False for a bad signature and for anything that is not one (wrong length, not a point). */
        boolean verify(byte[] data, byte[] signature);
    }

    /**
     * The implementation in use and why.
     *
     * @param engine the implementation
     * @param reason why this one (forced, or what made libcrypto unusable)
     */
    public record Choice(Ed25519 engine, String reason) {
    }

    Ed25519() {
    }

    /** Short name: {@code libcrypto} or {@code jdk}. */
    public abstract String name();

    /** What exactly: the OpenSSL version, or the JDK provider. */
    public abstract String detail();

    /** Prepares {@code key} for signing. */
    public abstract Signer signer(PrivateKey key);

    /** Prepares {@code key} for verifying. */
    public abstract Verifier verifier(PublicKey key);

    /** Verifies once, without keeping anything for the key. */
    public abstract boolean verify(PublicKey key, byte[] data, byte[] signature);

    /**
     * The implementation this process uses, chosen once.
     *
     * @throws IllegalStateException at every call when {@value #PROPERTY} demands libcrypto and it
     *                               cannot be used, or names no implementation: saying which and why
     */
    public static Choice inUse() {
        if (Chosen.FAILURE != null) {
            throw new IllegalStateException(Chosen.FAILURE.getMessage(), Chosen.FAILURE);
        }
        return Chosen.CHOICE;
    }

    @Override
    public String toString() {
        return name() + " (" + detail() + ")";
    }

    private static final class Chosen {
        static final Choice CHOICE;
        static final RuntimeException FAILURE;

        static {
            Choice c = null;
            RuntimeException f = null;
            try {
                c = choose(Optional.ofNullable(System.getProperty(PROPERTY)).or(() -> Optional.ofNullable(System.getenv(ENV)))
                        .orElse("auto"));
            } catch (IllegalStateException | IllegalArgumentException e) {
                f = e; // kept, so that every use says why (not once, then NoClassDefFoundError)
                LOG.log(Level.ERROR, "Ed25519: {0}", e.getMessage());
            }
            CHOICE = c;
            FAILURE = f;
        }
    }

    /** What {@code setting} (the property's value) chooses; logged. */
    static Choice choose(String setting) {
        String asked = setting.trim().toLowerCase(Locale.ROOT);
        Choice c = switch (asked) {
            case "jdk" -> new Choice(new JdkEd25519(), "forced by " + PROPERTY + "=jdk");
            case "libcrypto" -> {
                try {
                    yield new Choice(LibCryptoEd25519.load(), "forced by " + PROPERTY + "=libcrypto; " + SELF_TEST);
                } catch (LibCryptoEd25519.Unusable e) {
                    throw new IllegalStateException(PROPERTY + "=libcrypto, but libcrypto cannot be used: " + e.getMessage(), e);
                }
            }
            case "auto", "" -> {
                try {
                    yield new Choice(LibCryptoEd25519.load(), "libcrypto found; " + SELF_TEST);
                } catch (LibCryptoEd25519.Unusable e) {
                    yield new Choice(new JdkEd25519(), "libcrypto not used: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("`" + PROPERTY + "` must be auto, jdk or libcrypto, got: " + asked);
        };
        LOG.log(Level.INFO, "Ed25519 signatures: {0}: {1}", c.engine(), c.reason());
        return c;
    }

    static final String SELF_TEST = "passed RFC 8032 test 1 (sign, verify, tampered refused)";

    /** RFC 8032, section 7.1, TEST 1: secret key, public key, empty message, signature. */
    static final byte[] TEST1_SECRET = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final byte[] TEST1_PUBLIC = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    static final byte[] TEST1_SIGNATURE = HexFormat.of().parseHex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}
