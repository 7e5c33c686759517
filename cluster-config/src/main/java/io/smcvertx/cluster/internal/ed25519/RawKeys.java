package io.smcvertx.cluster.internal.ed25519;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** The 32-byte forms of Ed25519 keys (RFC 8032) that libcrypto takes, to and from the JDK's key objects. */
public final class RawKeys {

    /** The DER prefix of every X.509 Ed25519 public key (RFC 8410): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int KEY_BYTES = 32;

    private RawKeys() {
    }

    /** The 32-byte public key, when {@code key} is an Ed25519 key in the usual X.509 encoding. */
    public static Optional<byte[]> publicBytes(PublicKey key) {
        byte[] x509 = key.getEncoded();
        if (x509 == null || x509.length != X509_PREFIX.length + KEY_BYTES
                || !Arrays.equals(x509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(x509, X509_PREFIX.length, x509.length));
    }

    /** The 32-byte private key (RFC 8032's secret key), when the key object hands it out. */
    public static Optional<byte[]> privateBytes(PrivateKey key) {
        return key instanceof EdECPrivateKey ed ? ed.getBytes().filter(b -> b.length == KEY_BYTES) : Optional.empty();
    }

    /** A JDK public key object from the 32-byte form. */
    public static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != KEY_BYTES) {
            throw new GeneralSecurityException("an Ed25519 public key has 32 bytes, got " + raw.length);
        }
        byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
        System.arraycopy(raw, 0, x509, X509_PREFIX.length, KEY_BYTES);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    /** A JDK private key object from the 32-byte form. */
    public static PrivateKey privateKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, raw));
    }
}
