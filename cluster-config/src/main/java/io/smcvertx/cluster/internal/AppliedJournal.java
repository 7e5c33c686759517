package io.smcvertx.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The reconciler's record of what it put in its kernel: the last revision it applied in full, and
 * the revisions it started to apply since (a crash may have left part of them in the kernel).
 * Every revision in it is the operator-signed envelope, verified when the file is read:
 *
 * <pre>{@code {"format":"smcvertx-applied/1","applied":"<base64 envelope>","applying":["<base64 envelope>", ...]}}</pre>
 *
 * Written with {@link DurableFile}, so a crash leaves the previous record or the new one.
 */
public final class AppliedJournal {

    /** Format tag of the file. */
    public static final String FORMAT = "smcvertx-applied/1";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * One record.
     *
     * @param applied  the last revision applied in full, if any
     * @param applying revisions started since and not finished: some of their entries may be in the kernel
     */
    public record Entry(Optional<SignedRevision> applied, List<SignedRevision> applying) {
        public Entry {
            applying = List.copyOf(applying);
        }

        /** Nothing recorded yet. */
        public static Entry empty() {
            return new Entry(Optional.empty(), List.of());
        }
    }

    private final Path file;
    private final TrustedKeys trust;

    public AppliedJournal(Path file, TrustedKeys trust) {
        this.file = file;
        this.trust = trust;
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the record (empty when there is no file yet).
     *
     * @throws StateFileException naming the file, when it is unreadable, corrupt, unsigned or
     *                            signed by a key not trusted
     */
    public Entry load() {
        try {
            DurableFile.removeStray(file);
            if (!Files.exists(file)) {
                return Entry.empty();
            }
            JsonNode n;
            try {
                n = MAPPER.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new StateFileException(file, "not JSON, so not a " + FORMAT + " journal (corrupt?)", e);
            }
            if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
                throw new StateFileException(file, "not a " + FORMAT + " journal (corrupt, or an unsigned file "
                        + "of an older version)", null);
            }
            Optional<SignedRevision> applied = n.path("applied").isTextual()
                    ? Optional.of(revision(n.get("applied"), "applied")) : Optional.empty();
            List<SignedRevision> applying = new ArrayList<>();
            JsonNode a = n.path("applying");
            for (int i = 0; i < a.size(); i++) {
                applying.add(revision(a.get(i), "applying[" + i + "]"));
            }
            return new Entry(applied, applying);
        } catch (IOException e) {
            throw new StateFileException(file, "cannot be read: " + e, e);
        }
    }

    /** Replaces the record; a crash leaves the old one or this one. */
    public void write(Entry e) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        if (e.applied().isPresent()) {
            n.put("applied", Base64.getEncoder().encodeToString(e.applied().get().encoded()));
        } else {
            n.putNull("applied");
        }
        ArrayNode a = n.putArray("applying");
        e.applying().forEach(r -> a.add(Base64.getEncoder().encodeToString(r.encoded())));
        DurableFile.write(file, MAPPER.writeValueAsBytes(n), FaultPoints.APPLIED_FILE_BEFORE_RENAME);
    }

    private SignedRevision revision(JsonNode v, String field) {
        try {
            if (v == null || !v.isTextual()) {
                throw new StateFileException(file, "`" + field + "` is not a signed revision", null);
            }
            return SignedRevision.verify(Base64.getDecoder().decode(v.asText()), trust);
        } catch (IllegalArgumentException e) {
            throw new StateFileException(file, "`" + field + "` is not base64", e);
        } catch (RevisionRejectedException e) {
            throw new StateFileException(file, "`" + field + "`: " + e.getMessage(), e);
        }
    }
}
