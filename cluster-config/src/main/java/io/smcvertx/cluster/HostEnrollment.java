package io.smcvertx.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;

/**
 * The operator's word that a public key belongs to a host: host name and host public key, signed
 * with an operator key ({@code smcctl cluster enroll}). A host ships it with every status it
 * signs, so a reader needs only the operator's public keys to check who wrote a status. Stored
 * as a small JSON document:
 *
 * <pre>{@code {"format":"smcvertx-host-enrollment/1","host":"db-7","hostKey":"<base64 X.509>","operatorKeyId":"3f9a...","signature":"<base64>"}}</pre>
 *
 * <p>The signature covers a format tag, the host name, a newline and the X.509 key bytes (host
 * names cannot hold a newline), so it cannot be taken for a revision's or a status's signature.
 */
public final class HostEnrollment {

    /** Document format tag; also the domain separator of the signature. */
    public static final String FORMAT = "smcvertx-host-enrollment/1";
    private static final byte[] DOMAIN = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final String host;
    private final PublicKey hostKey;
    private final String operatorKeyId;
    private final byte[] signature;

    private HostEnrollment(String host, PublicKey hostKey, String operatorKeyId, byte[] signature) {
        this.host = host;
        this.hostKey = hostKey;
        this.operatorKeyId = operatorKeyId;
        this.signature = signature;
    }

    /**
     * Enrolls {@code hostKey} as the key of {@code host}.
     *
     * @throws IllegalArgumentException naming the field, for a host name a host could not have
     */
    public static HostEnrollment enroll(String host, PublicKey hostKey, OperatorKey operator) {
        Objects.requireNonNull(host, "`host` must not be `null`");
        Objects.requireNonNull(hostKey, "`hostKey` must not be `null`");
        Objects.requireNonNull(operator, "`operator` must not be `null`");
        String e = HostSelector.checkHostName(host);
        if (e != null) {
            throw new IllegalArgumentException("`host` " + e);
        }
        if (!KeyFiles.ALGORITHM.equalsIgnoreCase(hostKey.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(hostKey.getAlgorithm())) {
            throw new IllegalArgumentException("`hostKey` must be an Ed25519 key, got " + hostKey.getAlgorithm());
        }
        return new HostEnrollment(host, hostKey, operator.keyId(), operator.sign(signed(host, hostKey)));
    }

    /**
     * Reads an encoded enrollment (not yet checked against any operator key: see {@link #verify}).
     *
     * @throws IllegalArgumentException saying which part is missing or unreadable
     */
    public static HostEnrollment decode(byte[] encoded) {
        JsonNode n;
        try {
            n = MAPPER.readTree(encoded);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        return fromJson(n);
    }

    static HostEnrollment fromJson(JsonNode n) {
        if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + " document");
        }
        String host = text(n, "host");
        String e = HostSelector.checkHostName(host);
        if (e != null) {
            throw new IllegalArgumentException("`host` " + e);
        }
        PublicKey key;
        try {
            key = KeyFiles.publicKey(Base64.getDecoder().decode(text(n, "hostKey")), "`hostKey`");
        } catch (IOException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("`hostKey` is not an Ed25519 public key: " + ex.getMessage());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(text(n, "signature"));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("`signature` is not base64");
        }
        return new HostEnrollment(host, key, text(n, "operatorKeyId"), sig);
    }

    /** Reads an enrollment file; errors name the file. */
    public static HostEnrollment load(Path file) throws IOException {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a host enrollment: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #encoded()} to a file. */
    public void save(Path file) throws IOException {
        Files.write(file, encoded());
    }

    /**
     * Checks the operator's signature.
     *
     * @throws IllegalArgumentException when the signing operator key is not trusted or the
     *                                  signature does not match (tampered with)
     */
    public void verify(TrustedKeys trust) {
        String problem = problem(trust);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Checks that this enrolls {@code key} for {@code host} (when given) and that a trusted
     * operator key signed it: what a host checks before it signs anything with the key.
     *
     * @throws IllegalArgumentException saying which of these does not hold
     */
    public void checkFor(String host, HostKey key, TrustedKeys trust) {
        if (host != null && !this.host.equals(host)) {
            throw new IllegalArgumentException("the enrollment is for host " + this.host + ", this is host " + host);
        }
        if (!hostKey.equals(key.publicKey())) {
            throw new IllegalArgumentException("the enrollment is of host key " + hostKeyId() + ", not of this host's key "
                    + key.keyId());
        }
        verify(trust);
    }

    /** Null when a trusted operator key signed this; else what is wrong. */
    String problem(TrustedKeys trust) {
        if (trust.find(operatorKeyId).isEmpty()) {
            return "the enrollment of host " + host + " is signed by operator key " + operatorKeyId
                    + ", which is not trusted here";
        }
        if (!trust.verify(operatorKeyId, signed(host, hostKey), signature)) {
            return "the enrollment of host " + host + " does not match its signature (operator key "
                    + operatorKeyId + "): tampered with";
        }
        return null;
    }

    public String host() {
        return host;
    }

    public PublicKey hostKey() {
        return hostKey;
    }

    /** {@link HostKey#keyId()} of the enrolled key. */
    public String hostKeyId() {
        return KeyFiles.keyId(hostKey);
    }

    /** Which operator key signed it. */
    public String operatorKeyId() {
        return operatorKeyId;
    }

    public byte[] encoded() {
        try {
            return MAPPER.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("host", host);
        n.put("hostKey", Base64.getEncoder().encodeToString(hostKey.getEncoded()));
        n.put("operatorKeyId", operatorKeyId);
        n.put("signature", Base64.getEncoder().encodeToString(signature));
        return n;
    }

    @Override
    public String toString() {
        return "host " + host + " key " + hostKeyId() + " enrolled by operator key " + operatorKeyId;
    }

    private static byte[] signed(String host, PublicKey key) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(DOMAIN);
        b.writeBytes(host.getBytes(StandardCharsets.UTF_8));
        b.write('\n');
        b.writeBytes(key.getEncoded());
        return b.toByteArray();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("`" + field + "` is missing");
        }
        return v.asText();
    }
}
