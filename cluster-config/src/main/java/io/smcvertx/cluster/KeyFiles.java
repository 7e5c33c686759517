package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.ed25519.Ed25519;
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
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one Ed25519 key file format of operator and host keys: the private file holds the PKCS#8
 * private key and the X.509 public key as two PEM blocks (the JDK cannot derive an Ed25519
 * public key from a PKCS#8 v1 private key), the public file the second block only.
 */
final class KeyFiles {

    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private KeyFiles() {
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no Ed25519", e);
        }
    }

    static KeyPair loadPair(Path privateKeyFile) throws IOException {
        String text = Files.readString(privateKeyFile, StandardCharsets.US_ASCII);
        byte[] priv = pem(text, PRIVATE_PEM, privateKeyFile);
        byte[] pub = pem(text, PUBLIC_PEM, privateKeyFile);
        try {
            KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
            return new KeyPair(kf.generatePublic(new X509EncodedKeySpec(pub)),
                    kf.generatePrivate(new PKCS8EncodedKeySpec(priv)));
        } catch (GeneralSecurityException e) {
            throw new IOException(privateKeyFile + " does not hold an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    static PublicKey loadPublic(Path publicKeyFile) throws IOException {
        String text = Files.readString(publicKeyFile, StandardCharsets.US_ASCII);
        return publicKey(pem(text, PUBLIC_PEM, publicKeyFile), publicKeyFile.toString());
    }

    /** An X.509-encoded Ed25519 public key; {@code what} names its origin in the error. */
    static PublicKey publicKey(byte[] x509, String what) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IOException(what + " does not hold an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Writes the private key file (mode 0600 where POSIX) and the public key file. */
    static void save(KeyPair pair, Path privateKeyFile, Path publicKeyFile) throws IOException {
        String pub = toPem(PUBLIC_PEM, pair.getPublic().getEncoded());
        Files.deleteIfExists(privateKeyFile);
        try {
            Files.createFile(privateKeyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateKeyFile);
        }
        Files.writeString(privateKeyFile, toPem(PRIVATE_PEM, pair.getPrivate().getEncoded()) + pub,
                StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(publicKeyFile, pub, StandardCharsets.US_ASCII);
    }

    /** First 8 bytes of SHA-256 over the X.509 encoding, in hex. */
    static String keyId(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code key} made ready to sign many messages, with the implementation in use ({@link Ed25519#inUse()}). */
    static Ed25519.Signer signer(PrivateKey key) {
        return Ed25519.inUse().engine().signer(key);
    }

    /** {@code key} made ready to verify many messages. */
    static Ed25519.Verifier verifier(PublicKey key) {
        return Ed25519.inUse().engine().verifier(key);
    }

    /** False for a bad signature, and for anything that is not one (wrong length, wrong key type). */
    static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        return Ed25519.inUse().engine().verify(key, data, signature);
    }

    /** A domain tag and a payload, so a signature made for one kind of document never verifies as another. */
    static byte[] tagged(byte[] domain, byte[] payload) {
        byte[] all = java.util.Arrays.copyOf(domain, domain.length + payload.length);
        System.arraycopy(payload, 0, all, domain.length, payload.length);
        return all;
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
