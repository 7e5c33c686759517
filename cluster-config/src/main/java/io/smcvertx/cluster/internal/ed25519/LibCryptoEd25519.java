package io.smcvertx.cluster.internal.ed25519;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Ed25519 by OpenSSL's libcrypto (1.1.1 or 3.x), called through FFM: {@code EVP_PKEY_new_raw_private_key}
 * / {@code EVP_PKEY_new_raw_public_key} (type {@code EVP_PKEY_ED25519} = 1087), then per message
 * an {@code EVP_MD_CTX} with {@code EVP_DigestSignInit}/{@code EVP_DigestSign} or
 * {@code EVP_DigestVerifyInit}/{@code EVP_DigestVerify} (no digest: Ed25519 hashes itself).
 *
 * <p>Native memory: a prepared key's {@code EVP_PKEY} lives as long as its {@link Signer} or
 * {@link Verifier} and is freed by a {@link Cleaner} when that becomes unreachable, never during a
 * call (a reachability fence); keys live as long as the store that holds them. A one-shot
 * verification frees its key at once. Message,
 * signature and length buffers come from a confined {@link Arena} per call. An {@code EVP_PKEY}
 * is only read once made, so one key serves many threads, each call with its own context.
 */
public final class LibCryptoEd25519 extends Ed25519 {

    /** Why libcrypto cannot be used here (the fallback's logged reason). */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int EVP_PKEY_ED25519 = 1087;
    private static final List<String> LIBRARIES = List.of("libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so");
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("smc-ed25519-free").factory());

    private final String library;
    private final String version;
    private final MethodHandle newRawPrivate;
    private final MethodHandle newRawPublic;
    private final MethodHandle pkeyFree;
    private final MethodHandle ctxNew;
    private final MethodHandle ctxFree;
    private final MethodHandle signInit;
    private final MethodHandle sign;
    private final MethodHandle verifyInit;
    private final MethodHandle verify;
    private final MethodHandle clearErrors;

    private LibCryptoEd25519(String library, SymbolLookup lib) throws Unusable {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        MemoryLayout sizeT = linker.canonicalLayouts().get("size_t");
        if (sizeT == null || sizeT.byteSize() != Long.BYTES) {
            throw new Unusable("size_t is not 64-bit on this platform (" + sizeT + "); the binding assumes it is", null);
        }
        FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        this.newRawPrivate = handle(linker, lib, "EVP_PKEY_new_raw_private_key",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        this.newRawPublic = handle(linker, lib, "EVP_PKEY_new_raw_public_key",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        this.pkeyFree = handle(linker, lib, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.ctxNew = handle(linker, lib, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS));
        this.ctxFree = handle(linker, lib, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.signInit = handle(linker, lib, "EVP_DigestSignInit", init);
        this.sign = handle(linker, lib, "EVP_DigestSign",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.verifyInit = handle(linker, lib, "EVP_DigestVerifyInit", init);
        this.verify = handle(linker, lib, "EVP_DigestVerify",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        this.clearErrors = handle(linker, lib, "ERR_clear_error", FunctionDescriptor.ofVoid());
        this.version = versionText(linker, lib);
    }

    /**
     * Loads libcrypto and checks it against RFC 8032's first test vector.
     *
     * @throws Unusable saying why not: not found, a symbol missing, native access denied, wrong answer
     */
    public static LibCryptoEd25519 load() throws Unusable {
        List<String> tried = new java.util.ArrayList<>();
        for (String name : LIBRARIES) {
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                tried.add(name + " (" + e.getMessage() + ")");
                continue;
            } catch (IllegalCallerException e) {
                throw new Unusable("native access is denied to this module (run with --enable-native-access="
                        + "ALL-UNNAMED, or =io.smcvertx.cluster on the module path): " + e.getMessage(), e);
            }
            LibCryptoEd25519 c = new LibCryptoEd25519(name, lib);
            c.selfTest();
            return c;
        }
        throw new Unusable("no libcrypto found: tried " + String.join(", ", tried), null);
    }

    @Override
    public String name() {
        return "libcrypto";
    }

    @Override
    public String detail() {
        return version + ", " + library + " through FFM";
    }

    @Override
    public Signer signer(PrivateKey key) {
        Optional<byte[]> raw = RawKeys.privateBytes(key);
        if (raw.isEmpty()) {
            // a key object that does not hand out its bytes (another provider, a token): the JDK signs
            return data -> JdkEd25519.sign(key, data);
        }
        MemorySegment pkey = newKey(newRawPrivate, raw.get());
        Arrays.fill(raw.get(), (byte) 0);
        if (pkey == null) {
            throw new IllegalStateException("libcrypto refused the Ed25519 private key (EVP_PKEY_new_raw_private_key)");
        }
        return new NativeKey(this, pkey);
    }

    @Override
    public Verifier verifier(PublicKey key) {
        Optional<byte[]> raw = RawKeys.publicBytes(key);
        MemorySegment pkey = raw.map(r -> newKey(newRawPublic, r)).orElse(null);
        if (pkey == null) {
            JdkEd25519 jdk = new JdkEd25519();
            return (data, signature) -> jdk.verify(key, data, signature);
        }
        return new NativeKey(this, pkey);
    }

    @Override
    public boolean verify(PublicKey key, byte[] data, byte[] signature) {
        Optional<byte[]> raw = RawKeys.publicBytes(key);
        MemorySegment pkey = raw.map(r -> newKey(newRawPublic, r)).orElse(null);
        if (pkey == null) {
            return false; // not an Ed25519 public key libcrypto accepts: nothing verifies against it
        }
        try {
            return verify(pkey, data, signature);
        } finally {
            new Free(pkeyFree, pkey).run();
        }
    }

    /** Signs with a prepared {@code EVP_PKEY}. */
    byte[] sign(MemorySegment pkey, byte[] data) {
        return withContext("signing", (ctx, a) -> {
            if ((int) signInit.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, pkey) != 1) {
                throw failed("EVP_DigestSignInit");
            }
            MemorySegment msg = copy(a, data);
            MemorySegment sig = a.allocate(SIGNATURE_BYTES);
            MemorySegment len = a.allocate(JAVA_LONG);
            len.set(JAVA_LONG, 0, SIGNATURE_BYTES);
            if ((int) sign.invokeExact(ctx, sig, len, msg, (long) data.length) != 1 || len.get(JAVA_LONG, 0) != SIGNATURE_BYTES) {
                throw failed("EVP_DigestSign");
            }
            return sig.toArray(JAVA_BYTE);
        });
    }

    /** Verifies with a prepared {@code EVP_PKEY}: 1 from EVP_DigestVerify is valid, anything else is not. */
    boolean verify(MemorySegment pkey, byte[] data, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES || data == null) {
            return false;
        }
        return withContext("verification", (ctx, a) -> {
            int rc = (int) verifyInit.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, pkey);
            if (rc == 1) {
                rc = (int) verify.invokeExact(ctx, copy(a, signature), (long) SIGNATURE_BYTES, copy(a, data), (long) data.length);
            }
            if (rc != 1) {
                clearErrors.invokeExact(); // a bad signature leaves an error on this thread's queue
            }
            return rc == 1;
        });
    }

    /** One libcrypto call sequence with {@code ctx}, a fresh EVP_MD_CTX (freed after), and an arena for its buffers. */
    private interface ContextCall<T> {
        T run(MemorySegment ctx, Arena arena) throws Throwable;
    }

    private <T> T withContext(String what, ContextCall<T> call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctx = (MemorySegment) ctxNew.invokeExact();
            if (ctx.address() == 0) {
                throw new IllegalStateException("EVP_MD_CTX_new failed (out of memory?)");
            }
            try {
                return call.run(ctx, a);
            } finally {
                ctxFree.invokeExact(ctx);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto Ed25519 " + what + " failed", t);
        }
    }

    /** An EVP_PKEY from 32 raw key bytes, or null when libcrypto refuses them. */
    private MemorySegment newKey(MethodHandle factory, byte[] raw) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = (MemorySegment) factory.invokeExact(EVP_PKEY_ED25519, MemorySegment.NULL, copy(a, raw),
                    (long) raw.length);
            if (k.address() == 0) {
                clearErrors.invokeExact();
                return null;
            }
            return k;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto key creation failed", t);
        }
    }

    private IllegalStateException failed(String call) throws Throwable {
        clearErrors.invokeExact();
        return new IllegalStateException(call + " failed");
    }

    private static MemorySegment copy(Arena a, byte[] data) {
        MemorySegment m = a.allocate(Math.max(1, data.length));
        MemorySegment.copy(data, 0, m, JAVA_BYTE, 0, data.length);
        return m;
    }

    private void selfTest() throws Unusable {
        MemorySegment priv = newKey(newRawPrivate, TEST1_SECRET.clone());
        MemorySegment pub = newKey(newRawPublic, TEST1_PUBLIC.clone());
        try {
            if (priv == null || pub == null) {
                throw new Unusable(library + " refused RFC 8032 test 1's Ed25519 keys (no Ed25519 in this build?)", null);
            }
            byte[] sig = sign(priv, new byte[0]);
            if (!Arrays.equals(sig, TEST1_SIGNATURE)) {
                throw new Unusable(library + " signed RFC 8032 test 1 wrong", null);
            }
            byte[] tampered = sig.clone();
            tampered[0] ^= 1;
            if (!verify(pub, new byte[0], sig) || verify(pub, new byte[] {0}, sig) || verify(pub, new byte[0], tampered)) {
                throw new Unusable(library + " verified RFC 8032 test 1 wrong", null);
            }
        } catch (IllegalStateException e) {
            throw new Unusable(library + " failed RFC 8032 test 1: " + e.getMessage(), e);
        } finally {
            if (priv != null) {
                new Free(pkeyFree, priv).run();
            }
            if (pub != null) {
                new Free(pkeyFree, pub).run();
            }
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) throws Unusable {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new Unusable("libcrypto has no symbol " + name
                + " (older than OpenSSL 1.1.1?)", null));
        return linker.downcallHandle(symbol, fd);
    }

    private static String versionText(Linker linker, SymbolLookup lib) {
        try {
            MethodHandle h = handle(linker, lib, "OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            MemorySegment s = (MemorySegment) h.invokeExact(0); // OPENSSL_VERSION
            return s.address() == 0 ? "OpenSSL (version unknown)" : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "OpenSSL (version unknown: " + t.getMessage() + ")";
        }
    }

    /**
     * A prepared key: its EVP_PKEY is freed by the {@link Cleaner} once this object is unreachable,
     * and the reachability fence keeps it reachable until a call that uses the EVP_PKEY has returned.
     */
    private static final class NativeKey implements Signer, Verifier {
        private final LibCryptoEd25519 lib;
        private final MemorySegment pkey;

        NativeKey(LibCryptoEd25519 lib, MemorySegment pkey) {
            this.lib = lib;
            this.pkey = pkey;
            CLEANER.register(this, new Free(lib.pkeyFree, pkey));
        }

        @Override
        public byte[] sign(byte[] data) {
            try {
                return lib.sign(pkey, data);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            try {
                return lib.verify(pkey, data, signature);
            } finally {
                Reference.reachabilityFence(this);
            }
        }
    }

    /** Frees one EVP_PKEY; holds no reference to the object it cleans up after. */
    private record Free(MethodHandle pkeyFree, MemorySegment pkey) implements Runnable {
        @Override
        public void run() {
            try {
                pkeyFree.invokeExact(pkey);
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_PKEY_free failed", t);
            }
        }
    }
}
