package io.smcvertx.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An operator's Ed25519 signing key (JDK provider only). The private key file holds the
 * PKCS#8 private key and the X.509 public key as two PEM blocks, because the JDK cannot
 * derive an Ed25519 public key from a PKCS#8 v1 private key; the public file holds the second
 * block only and is what members trust.
 */
public final class OperatorKey {

    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private OperatorKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "`privateKey` must not be `null`");
        this.publicKey = Objects.requireNonNull(publicKey, "`publicKey` must not be `null`");
    }

    /** A fresh key pair. */
    public static OperatorKey generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new OperatorKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no Ed25519", e);
        }
    }

    /** Reads a private key file written by {@link #save}. */
    public static OperatorKey load(Path privateKeyFile) throws IOException {
        String text = Files.readString(privateKeyFile, StandardCharsets.US_ASCII);
        byte[] priv = pem(text, PRIVATE_PEM, privateKeyFile);
        byte[] pub = pem(text, PUBLIC_PEM, privateKeyFile);
        try {
            KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
            return new OperatorKey(kf.generatePrivate(new PKCS8EncodedKeySpec(priv)),
                    kf.generatePublic(new X509EncodedKeySpec(pub)));
        } catch (GeneralSecurityException e) {
            throw new IOException(privateKeyFile + " does not hold an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /** Reads a public key file written by {@link #save} (or the private key file). */
    public static PublicKey loadPublic(Path publicKeyFile) throws IOException {
        String text = Files.readString(publicKeyFile, StandardCharsets.US_ASCII);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(
                    pem(text, PUBLIC_PEM, publicKeyFile)));
        } catch (GeneralSecurityException e) {
            throw new IOException(publicKeyFile + " does not hold an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Writes the private key file (mode 0600 where POSIX) and the public key file. */
    public void save(Path privateKeyFile, Path publicKeyFile) throws IOException {
        String pub = toPem(PUBLIC_PEM, publicKey.getEncoded());
        Files.deleteIfExists(privateKeyFile);
        try {
            Files.createFile(privateKeyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateKeyFile);
        }
        Files.writeString(privateKeyFile, toPem(PRIVATE_PEM, privateKey.getEncoded()) + pub, StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(publicKeyFile, pub, StandardCharsets.US_ASCII);
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
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    private static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(String text, String type, Path file) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end, Math.max(b, 0));
        if (b < 0 || e < 0) {
            throw new IOException(file + " has no " + type + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": the " + type + " block is not base64", ex);
        }
    }
}
