package io.smcvertx.vertx.node;

import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.ConfigReconciler;
import io.smcvertx.cluster.Ed25519Implementation;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.bpf.BpfTransparentSmc;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's part in the fleet's SMC configuration: a store on the node's own Hazelcast member or
 * client (which the store never shuts down) and a reconciler of this host's kernel. On a kernel
 * without SMC, or without CAP_NET_ADMIN, the reconciler says so in its status and keeps running.
 * With a host key the node signs its status; every status it shows of other hosts is verified.
 */
final class ClusterConfigService implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ClusterConfigSettings settings;
    private final HazelcastClusterConfigStore store;
    private final ConfigReconciler reconciler;
    private final DoctorPublisher doctor;

    private ClusterConfigService(ClusterConfigSettings settings, HazelcastClusterConfigStore store,
            ConfigReconciler reconciler, DoctorPublisher doctor) {
        this.settings = settings;
        this.store = store;
        this.reconciler = reconciler;
        this.doctor = doctor;
    }

    /**
     * Loads the trusted keys, starts the store on {@code hz} and the reconciler. Blocks while the
     * store reads the map (Hazelcast calls), so call it where {@link SmcNode#start} runs, never on
     * an event loop.
     *
     * @throws IllegalArgumentException naming the field, when a key or enrollment file cannot be used
     * @throws StateFileException naming the file, when the state file or the journal does not verify
     * @throws IllegalStateException when the store does not start
     */
    static ClusterConfigService start(ClusterConfigSettings settings, HazelcastInstance hz) {
        return start(settings, hz, SmcKernel.netlink());
    }

    static ClusterConfigService start(ClusterConfigSettings settings, HazelcastInstance hz, SmcSystem kernel) {
        if (hz == null) {
            throw new IllegalArgumentException("`clusterConfig.enabled` needs `hazelcast.enabled` true");
        }
        TrustedKeys trust = trustedKeys(settings.trustedKeys());
        HazelcastClusterConfigStore.Builder b = HazelcastClusterConfigStore.builder()
                .instance(hz)
                .host(settings.host().name())
                .trustedKeys(trust);
        settings.stateFile().ifPresent(b::stateFile);
        if (settings.hostKey().isPresent()) {
            HostKey key = hostKey(settings.hostKey().get());
            HostEnrollment enrollment = enrollment(settings.hostEnrollment().orElseThrow(), settings.host().name(), key, trust);
            b.hostKey(key, enrollment);
        }
        HazelcastClusterConfigStore store;
        try {
            store = b.start().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the cluster config store started", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StateFileException sfe) {
                throw sfe;
            }
            throw new IllegalStateException("the cluster config store did not start: " + cause, cause);
        }
        ConfigReconciler.Builder r = ConfigReconciler.builder(store, kernel, settings.host())
                .interval(Duration.ofSeconds(settings.recheckSeconds()))
                // the fleet's `transparent` section: loads nothing unless this host's slice selects a cgroup
                .transparent(BpfTransparentSmc.create());
        settings.stateFile().ifPresent(f -> r.appliedFile(f.resolveSibling(f.getFileName() + ".applied")));
        ConfigReconciler started;
        try {
            started = r.start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        // the doctor's report travels beside the status, on the same period, for `smcctl cluster doctor`
        return new ClusterConfigService(settings, store, started,
                DoctorPublisher.start(settings.host().name(), hz, Duration.ofSeconds(settings.recheckSeconds())));
    }

    private static HostKey hostKey(Path file) {
        try {
            return HostKey.load(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("`clusterConfig.hostKey` cannot be used: " + e.getMessage(), e);
        }
    }

    private static HostEnrollment enrollment(Path file, String host, HostKey key, TrustedKeys trust) {
        try {
            HostEnrollment e = HostEnrollment.load(file);
            e.checkFor(host, key, trust);
            return e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("`clusterConfig.hostEnrollment` cannot be used: " + e.getMessage(), e);
        }
    }

    private static TrustedKeys trustedKeys(List<Path> files) {
        for (int i = 0; i < files.size(); i++) {
            try {
                TrustedKeys.load(List.of(files.get(i)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("`clusterConfig.trustedKeys[" + i + "]` cannot be used: " + e.getMessage(), e);
            }
        }
        try {
            return TrustedKeys.load(files);
        } catch (IOException e) {
            throw new IllegalArgumentException("`clusterConfig.trustedKeys` cannot be used: " + e.getMessage(), e);
        }
    }

    /** Which Ed25519 implementation signs and verifies here, and why (libcrypto, or the JDK's as fallback). */
    static JsonObject ed25519Json() {
        Ed25519Implementation e = Ed25519Implementation.inUse();
        return new JsonObject().put("implementation", e.name()).put("detail", e.detail()).put("reason", e.reason());
    }

    /** What /status shows: this host, the newest revision it knows, and the reconciler's last status. */
    JsonObject statusJson() {
        JsonObject labels = new JsonObject();
        settings.host().labels().forEach(labels::put);
        JsonObject json = new JsonObject()
                .put("enabled", true)
                .put("host", settings.host().name())
                .put("labels", labels)
                .put("trustedKeys", settings.trustedKeys().size())
                .put("recheckSeconds", settings.recheckSeconds())
                .put("signsStatus", settings.hostKey().isPresent())
                .put("ed25519", ed25519Json())
                .put("currentRevision", store.current().map(SignedRevision::revision).orElse(0L));
        reconciler.lastStatus().ifPresentOrElse(s -> json.put("status", toJson(s)),
                () -> json.put("status", new JsonObject().put("state", "STARTING")));
        return json;
    }

    /**
     * Every host's status as the status map holds it, each verified: what {@code GET /fleet}
     * shows. An entry its host did not sign is listed with {@code "verified": false} and why.
     */
    CompletionStage<JsonObject> fleetJson() {
        return store.status().thenApply(ClusterConfigService::fleetJson);
    }

    static JsonObject fleetJson(Map<String, HostReport> reports) {
        JsonArray hosts = new JsonArray();
        int verified = 0;
        for (HostReport r : reports.values()) {
            JsonObject h = new JsonObject().put("host", r.host()).put("verified", r.verified())
                    .put("trust", r.trust().name()).put("trustDetail", r.detail());
            r.status().ifPresent(s -> h.put("status", toJson(s)));
            hosts.add(h);
            verified += r.verified() ? 1 : 0;
        }
        return new JsonObject().put("hosts", hosts).put("verified", verified).put("unverified", reports.size() - verified);
    }

    static JsonObject toJson(HostStatus s) {
        JsonObject j = new JsonObject()
                .put("state", s.state().name())
                .put("appliedRevision", s.appliedRevision())
                .put("desiredRevision", s.desiredRevision())
                .put("kernelSmc", s.kernelSmc());
        s.kernelSmcCause().ifPresent(v -> j.put("kernelSmcCause", v));
        s.readOnly().ifPresent(v -> j.put("readOnly", v));
        s.seid().ifPresent(v -> j.put("seid", v));
        j.put("seidEnabled", s.seidEnabled());
        j.put("drift", new JsonArray(List.copyOf(s.drift())));
        s.lastError().ifPresent(v -> j.put("lastError", v));
        s.rejected().ifPresent(v -> j.put("rejected", v));
        j.put("notes", new JsonArray(List.copyOf(s.notes())));
        j.put("updatedAt", s.updatedAt().toString());
        s.transparent().ifPresent(t -> j.put("transparent", TransparentJson.of(t)));
        return j;
    }

    /** The newest revision this member accepted (0: none). */
    long currentRevision() {
        return store.current().map(SignedRevision::revision).orElse(0L);
    }

    /**
     * Every host's status as the reconcilers last published it, each verified; blocks (a Hazelcast
     * read), so call it on a worker.
     */
    Map<String, HostReport> hosts(Duration timeout) throws Exception {
        return store.status().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the doctor and the reconciler, then the store; the Hazelcast member is the node's to stop. */
    @Override
    public void close() {
        try {
            doctor.close();
            reconciler.close();
        } finally {
            store.close();
        }
    }
}
