package io.smcvertx.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A revision as it is stored and shipped: the canonical JSON of a {@link FleetConfig}, signed
 * with an operator's Ed25519 key. The signature covers the exact payload bytes (prefixed with
 * a format tag so a signature made for something else never verifies here), so verification
 * needs no canonicalisation. The stored form is {@link #encoded()}, a small JSON envelope:
 *
 * <pre>{@code {"format":"smcvertx-fleet-config/1","keyId":"3f9a...","payload":"<base64>","signature":"<base64>"}}</pre>
 */
public final class SignedRevision {

    /** Envelope format tag; also the domain separator of the signature. */
    public static final String FORMAT = "smcvertx-fleet-config/1";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final byte[] DOMAIN = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);

    private final FleetConfig config;
    private final String keyId;
    private final byte[] payload;
    private final byte[] signature;
    private volatile byte[] encoded; // made once: every resync and every journal write compares or writes it

    private SignedRevision(FleetConfig config, String keyId, byte[] payload, byte[] signature) {
        this.config = config;
        this.keyId = keyId;
        this.payload = payload;
        this.signature = signature;
    }

    /** Signs a configuration. */
    public static SignedRevision sign(FleetConfig config, OperatorKey key) {
        Objects.requireNonNull(config, "`config` must not be `null`");
        Objects.requireNonNull(key, "`key` must not be `null`");
        byte[] payload = FleetConfigJson.canonical(config);
        return new SignedRevision(config, key.keyId(), payload, key.sign(signed(payload)));
    }

    /**
     * Decodes and verifies an envelope.
     *
     * @throws RevisionRejectedException when it is malformed, unsigned, signed by an untrusted
     *                                   key, tampered with, or holds an invalid configuration
     */
    public static SignedRevision verify(byte[] envelope, TrustedKeys trust) throws RevisionRejectedException {
        Parts p = parts(envelope);
        if (p.signature == null || p.signature.length == 0 || p.keyId == null || p.keyId.isEmpty()) {
            throw new RevisionRejectedException(RevisionRejectedException.Reason.UNSIGNED,
                    "revision " + p.revisionHint() + " is not signed");
        }
        if (trust.find(p.keyId).isEmpty()) {
            throw new RevisionRejectedException(RevisionRejectedException.Reason.UNKNOWN_KEY,
                    "revision " + p.revisionHint() + " is signed by key " + p.keyId + ", which this member does not trust");
        }
        if (!trust.verify(p.keyId, signed(p.payload), p.signature)) {
            throw new RevisionRejectedException(RevisionRejectedException.Reason.BAD_SIGNATURE,
                    "revision " + p.revisionHint() + " does not match its signature (key " + p.keyId + "): tampered with");
        }
        return new SignedRevision(config(p), p.keyId, p.payload, p.signature);
    }

    /** Decodes without checking the signature: for tools that show what the map holds. */
    public static SignedRevision decodeUnverified(byte[] envelope) throws RevisionRejectedException {
        Parts p = parts(envelope);
        return new SignedRevision(config(p), p.keyId == null ? "" : p.keyId, p.payload,
                p.signature == null ? new byte[0] : p.signature);
    }

    public FleetConfig config() {
        return config;
    }

    public long revision() {
        return config.revision();
    }

    /** Which operator key signed it ({@link OperatorKey#keyId()}). */
    public String keyId() {
        return keyId;
    }

    /** The canonical configuration JSON that was signed. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The envelope bytes: what the store keeps in Hazelcast and in its local file. */
    public byte[] encoded() {
        byte[] e = encoded;
        if (e == null) {
            e = encode();
            encoded = e;
        }
        return e.clone();
    }

    private byte[] encode() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("keyId", keyId);
        n.put("payload", Base64.getEncoder().encodeToString(payload));
        n.put("signature", Base64.getEncoder().encodeToString(signature));
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRevision s && Arrays.equals(payload, s.payload) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "revision " + revision() + " signed by " + keyId;
    }

    private static byte[] signed(byte[] payload) {
        byte[] all = Arrays.copyOf(DOMAIN, DOMAIN.length + payload.length);
        System.arraycopy(payload, 0, all, DOMAIN.length, payload.length);
        return all;
    }

    private record Parts(String keyId, byte[] payload, byte[] signature) {
        String revisionHint() {
            try {
                JsonNode r = MAPPER.readTree(payload).get("revision");
                return r == null ? "?" : r.asText();
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }
    }

    private static Parts parts(byte[] envelope) throws RevisionRejectedException {
        try {
            JsonNode n = MAPPER.readTree(envelope);
            if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
                throw new RevisionRejectedException(RevisionRejectedException.Reason.MALFORMED,
                        "stored value is not a " + FORMAT + " envelope");
            }
            JsonNode payload = n.get("payload");
            if (payload == null || !payload.isTextual()) {
                throw new RevisionRejectedException(RevisionRejectedException.Reason.MALFORMED,
                        "envelope has no payload");
            }
            JsonNode sig = n.get("signature");
            JsonNode keyId = n.get("keyId");
            return new Parts(keyId == null || keyId.isNull() ? null : keyId.asText(),
                    Base64.getDecoder().decode(payload.asText()),
                    sig == null || sig.isNull() ? null : Base64.getDecoder().decode(sig.asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new RevisionRejectedException(RevisionRejectedException.Reason.MALFORMED,
                    "stored value is not a readable envelope: " + e.getMessage());
        }
    }

    private static FleetConfig config(Parts p) throws RevisionRejectedException {
        try {
            return FleetConfigJson.parse(new String(p.payload, StandardCharsets.UTF_8));
        } catch (ConfigValidationException e) {
            throw new RevisionRejectedException(RevisionRejectedException.Reason.INVALID_CONFIG,
                    "revision " + p.revisionHint() + " is signed but invalid: " + e.getMessage());
        }
    }
}
