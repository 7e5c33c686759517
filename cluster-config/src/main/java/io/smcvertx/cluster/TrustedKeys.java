package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.ed25519.Ed25519;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator public keys a member accepts revisions from. Hazelcast Community Edition lets
 * any process that reaches the cluster port write to a map, so this, not the network, decides
 * what a host applies.
 */
public final class TrustedKeys {

    private final Map<String, PublicKey> byId;
    // made on first use: an operator key verifies every revision and every enrollment this member reads
    private final Map<String, Ed25519.Verifier> verifiers = new java.util.concurrent.ConcurrentHashMap<>();

    private TrustedKeys(Collection<PublicKey> keys) {
        for (PublicKey k : keys) {
            if (!OperatorKey.ALGORITHM.equalsIgnoreCase(k.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(k.getAlgorithm())) {
                throw new IllegalArgumentException("`keys` must be Ed25519 keys, got " + k.getAlgorithm());
            }
        }
        this.byId = keys.stream().collect(Collectors.toUnmodifiableMap(OperatorKey::keyId, Function.identity(),
                (a, b) -> a));
    }

    public static TrustedKeys of(Collection<PublicKey> keys) {
        return new TrustedKeys(keys);
    }

    public static TrustedKeys of(PublicKey... keys) {
        return new TrustedKeys(List.of(keys));
    }

    /** Public key files as written by {@link OperatorKey#save}. */
    public static TrustedKeys load(Collection<Path> publicKeyFiles) throws IOException {
        List<PublicKey> keys = new java.util.ArrayList<>();
        for (Path p : publicKeyFiles) {
            keys.add(OperatorKey.loadPublic(p));
        }
        return new TrustedKeys(keys);
    }

    /** Trusts nobody: every revision is refused (a tool that only reads may still show them). */
    public static TrustedKeys none() {
        return new TrustedKeys(List.of());
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public Optional<PublicKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    boolean verify(String keyId, byte[] data, byte[] signature) {
        PublicKey k = byId.get(keyId);
        return k != null && verifiers.computeIfAbsent(keyId, id -> KeyFiles.verifier(k)).verify(data, signature);
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byId.keySet();
    }
}
