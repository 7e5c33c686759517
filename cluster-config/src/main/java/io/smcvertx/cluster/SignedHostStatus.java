package io.smcvertx.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.internal.HostStatusJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A host's status as it goes into the status map: the status JSON, signed with the host's key,
 * with the host's {@link HostEnrollment} beside it. The value is JSON text:
 *
 * <pre>{@code {"format":"smcvertx-host-status/1","payload":"<base64 status JSON>","signature":"<base64>","enrollment":{...}}}</pre>
 *
 * <p>A host without a key writes the same envelope without {@code signature} and
 * {@code enrollment}; readers show it as {@link HostReport.Trust#UNSIGNED}. The signature covers
 * a format tag and the exact payload bytes. What it does not prevent: a writer on the map can
 * delete a status or put back an older one that the host really signed (its {@code updatedAt}
 * shows its age, and the host overwrites it at its next report).
 */
public final class SignedHostStatus {

    /** Envelope format tag; also the domain separator of the signature. */
    public static final String FORMAT = "smcvertx-host-status/1";
    private static final byte[] DOMAIN = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private SignedHostStatus() {
    }

    /** The envelope of {@code status}, signed by {@code key}, which {@code enrollment} must enroll for its host. */
    public static String sign(HostStatus status, HostKey key, HostEnrollment enrollment) {
        Objects.requireNonNull(status, "`status` must not be `null`");
        Objects.requireNonNull(key, "`key` must not be `null`");
        Objects.requireNonNull(enrollment, "`enrollment` must not be `null`");
        if (!enrollment.host().equals(status.host())) {
            throw new IllegalArgumentException("`enrollment` is for host " + enrollment.host() + ", the status is of "
                    + status.host());
        }
        if (!enrollment.hostKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("`enrollment` enrolls key " + enrollment.hostKeyId() + ", not " + key.keyId());
        }
        byte[] payload = HostStatusJson.write(status).getBytes(StandardCharsets.UTF_8);
        ObjectNode n = envelope(payload);
        n.put("signature", Base64.getEncoder().encodeToString(key.sign(KeyFiles.tagged(DOMAIN, payload))));
        n.set("enrollment", enrollment.toJson());
        return n.toString();
    }

    /** The envelope of a status no key signs: readers will show it as unverified. */
    public static String unsigned(HostStatus status) {
        Objects.requireNonNull(status, "`status` must not be `null`");
        return envelope(HostStatusJson.write(status).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Reads one status map entry and decides whether the host it is filed under wrote it. Never
     * throws for bad input: a value that is not a status is reported {@code UNREADABLE}.
     *
     * @param host   the map key
     * @param stored the map value
     * @param trust  the operator keys whose enrollments count
     */
    public static HostReport verify(String host, String stored, TrustedKeys trust) {
        Objects.requireNonNull(host, "`host` must not be `null`");
        Objects.requireNonNull(trust, "`trust` must not be `null`");
        JsonNode n;
        try {
            n = stored == null ? null : MAPPER.readTree(stored);
        } catch (IOException e) {
            return unreadable(host, "not JSON");
        }
        if (n == null || !n.isObject()) {
            return unreadable(host, "not a JSON object");
        }
        if (!n.has("format")) {
            // written by a version before signed status: a plain status, unsigned by definition
            return read(stored).map(s -> checkHost(host, s, HostReport.Trust.UNSIGNED, "unsigned (older format)"))
                    .orElseGet(() -> unreadable(host, "not a status"));
        }
        if (!FORMAT.equals(n.path("format").asText())) {
            return unreadable(host, "unknown format " + n.path("format").asText());
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(n.path("payload").asText());
        } catch (IllegalArgumentException e) {
            return unreadable(host, "payload is not base64");
        }
        Optional<HostStatus> status = read(new String(payload, StandardCharsets.UTF_8));
        if (status.isEmpty()) {
            return unreadable(host, "payload is not a status");
        }
        HostStatus s = status.get();
        if (!s.host().equals(host)) {
            return new HostReport(host, status, HostReport.Trust.FORGED,
                    "filed under host " + host + " but is the status of host " + s.host());
        }
        JsonNode sig = n.get("signature");
        JsonNode enrollment = n.get("enrollment");
        if (sig == null || sig.isNull() || enrollment == null || enrollment.isNull()) {
            return new HostReport(host, status, HostReport.Trust.UNSIGNED, "unsigned: host " + host + " has no host key");
        }
        HostEnrollment e;
        try {
            e = HostEnrollment.fromJson(enrollment);
        } catch (IllegalArgumentException ex) {
            return new HostReport(host, status, HostReport.Trust.FORGED, "enrollment unreadable: " + ex.getMessage());
        }
        if (!e.host().equals(host)) {
            return new HostReport(host, status, HostReport.Trust.FORGED,
                    "signed with the key of host " + e.host() + ", not of host " + host);
        }
        if (trust.find(e.operatorKeyId()).isEmpty()) {
            return new HostReport(host, status, HostReport.Trust.UNTRUSTED_KEY,
                    "host key enrolled by operator key " + e.operatorKeyId() + ", which is not trusted here");
        }
        String problem = e.problem(trust);
        if (problem != null) {
            return new HostReport(host, status, HostReport.Trust.FORGED, problem);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sig.asText());
        } catch (IllegalArgumentException ex) {
            return new HostReport(host, status, HostReport.Trust.FORGED, "signature is not base64");
        }
        if (!KeyFiles.verify(e.hostKey(), KeyFiles.tagged(DOMAIN, payload), signature)) {
            return new HostReport(host, status, HostReport.Trust.FORGED,
                    "does not match its signature (host key " + e.hostKeyId() + "): tampered with");
        }
        return new HostReport(host, status, HostReport.Trust.VERIFIED, e.toString());
    }

    private static HostReport checkHost(String host, HostStatus s, HostReport.Trust trust, String detail) {
        return s.host().equals(host) ? new HostReport(host, Optional.of(s), trust, detail)
                : new HostReport(host, Optional.of(s), HostReport.Trust.FORGED,
                        "filed under host " + host + " but is the status of host " + s.host());
    }

    private static HostReport unreadable(String host, String why) {
        return new HostReport(host, Optional.empty(), HostReport.Trust.UNREADABLE, "unreadable: " + why);
    }

    private static Optional<HostStatus> read(String json) {
        try {
            return Optional.of(HostStatusJson.read(json));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode envelope(byte[] payload) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("payload", Base64.getEncoder().encodeToString(payload));
        return n;
    }
}
