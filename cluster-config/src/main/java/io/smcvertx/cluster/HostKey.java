package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.ed25519.Ed25519;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * One host's Ed25519 key: it signs that host's status ({@link SignedHostStatus}), so a process
 * that can write the status map (anyone on the Hazelcast port) cannot speak for the host. The
 * operator vouches for it with a {@link HostEnrollment}. Same file format as {@link OperatorKey}.
 */
public final class HostKey {

    private final KeyPair pair;
    private volatile Ed25519.Signer signer;

    private HostKey(KeyPair pair) {
        this.pair = pair;
    }

    /** A fresh key pair (made on the host; the private half never leaves it). */
    public static HostKey generate() {
        return new HostKey(KeyFiles.generate());
    }

    /** Reads a private key file written by {@link #save}. */
    public static HostKey load(Path privateKeyFile) throws IOException {
        return new HostKey(KeyFiles.loadPair(privateKeyFile));
    }

    /** Reads a public key file written by {@link #save}: what the operator enrolls. */
    public static PublicKey loadPublic(Path publicKeyFile) throws IOException {
        return KeyFiles.loadPublic(publicKeyFile);
    }

    /** Writes the private key file (mode 0600 where POSIX) and the public key file. */
    public void save(Path privateKeyFile, Path publicKeyFile) throws IOException {
        KeyFiles.save(pair, privateKeyFile, publicKeyFile);
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    /** Short, stable name of the public key (as {@link OperatorKey#keyId(PublicKey)}). */
    public String keyId() {
        return KeyFiles.keyId(pair.getPublic());
    }

    byte[] sign(byte[] data) {
        Ed25519.Signer s = signer;
        if (s == null) {
            s = KeyFiles.signer(pair.getPrivate()); // made once: libcrypto's key object derives the public point
            signer = s;
        }
        return s.sign(data);
    }
}
