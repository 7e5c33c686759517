package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.ed25519.Ed25519;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * An operator's Ed25519 signing key (JDK provider only): it signs fleet revisions and enrolls
 * host keys ({@link HostEnrollment}). The private key file holds the PKCS#8 private key and the
 * X.509 public key as two PEM blocks, because the JDK cannot derive an Ed25519 public key from a
 * PKCS#8 v1 private key; the public file holds the second block only and is what members trust.
 */
public final class OperatorKey {

    static final String ALGORITHM = KeyFiles.ALGORITHM;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private volatile Ed25519.Signer signer;

    private OperatorKey(KeyPair pair) {
        this.privateKey = Objects.requireNonNull(pair.getPrivate(), "`privateKey` must not be `null`");
        this.publicKey = Objects.requireNonNull(pair.getPublic(), "`publicKey` must not be `null`");
    }

    /** A fresh key pair. */
    public static OperatorKey generate() {
        return new OperatorKey(KeyFiles.generate());
    }

    /** Reads a private key file written by {@link #save}. */
    public static OperatorKey load(Path privateKeyFile) throws IOException {
        return new OperatorKey(KeyFiles.loadPair(privateKeyFile));
    }

    /** Reads a public key file written by {@link #save} (or the private key file). */
    public static PublicKey loadPublic(Path publicKeyFile) throws IOException {
        return KeyFiles.loadPublic(publicKeyFile);
    }

    /** Writes the private key file (mode 0600 where POSIX) and the public key file. */
    public void save(Path privateKeyFile, Path publicKeyFile) throws IOException {
        KeyFiles.save(new KeyPair(publicKey, privateKey), privateKeyFile, publicKeyFile);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Short, stable name of the public key: what status and logs show. */
    public String keyId() {
        return keyId(publicKey);
    }

    /** First 8 bytes of SHA-256 over the X.509 encoding, in hex. */
    public static String keyId(PublicKey key) {
        return KeyFiles.keyId(key);
    }

    byte[] sign(byte[] data) {
        Ed25519.Signer s = signer;
        if (s == null) {
            s = KeyFiles.signer(privateKey); // made once: libcrypto's key object derives the public point
            signer = s;
        }
        return s.sign(data);
    }
}
