package io.smcvertx.cluster.internal.ed25519;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** The JDK's Ed25519 ({@code Signature.getInstance("Ed25519")}): always there, pure Java, the fallback. */
public final class JdkEd25519 extends Ed25519 {

    private final String provider;

    /** The JDK's implementation. */
    public JdkEd25519() {
        String p;
        try {
            p = Signature.getInstance("Ed25519").getProvider().getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no Ed25519", e);
        }
        this.provider = p;
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public String detail() {
        return "Signature.getInstance(\"Ed25519\"), provider " + provider + ", Java " + Runtime.version();
    }

    @Override
    public Signer signer(PrivateKey key) {
        return data -> sign(key, data);
    }

    @Override
    public Verifier verifier(PublicKey key) {
        return (data, signature) -> verify(key, data, signature);
    }

    /** Signs with a fresh Signature object (they are not thread-safe; getInstance is cheap next to the maths). */
    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
