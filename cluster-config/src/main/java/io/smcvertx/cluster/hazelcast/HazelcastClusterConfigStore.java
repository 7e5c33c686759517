package io.smcvertx.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.smcvertx.cluster.ClusterConfigStore;
import io.smcvertx.cluster.ConfigConflictException;
import io.smcvertx.cluster.FleetConfig;
import io.smcvertx.cluster.HostEnrollment;
import io.smcvertx.cluster.HostKey;
import io.smcvertx.cluster.HostReport;
import io.smcvertx.cluster.HostStatus;
import io.smcvertx.cluster.OperatorKey;
import io.smcvertx.cluster.Rejection;
import io.smcvertx.cluster.RevisionRejectedException;
import io.smcvertx.cluster.SignedHostStatus;
import io.smcvertx.cluster.SignedRevision;
import io.smcvertx.cluster.StateFileException;
import io.smcvertx.cluster.TrustedKeys;
import io.smcvertx.cluster.internal.DurableFile;
import io.smcvertx.cluster.internal.FaultPoints;
import io.smcvertx.cluster.internal.StateFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ClusterConfigStore} on two Hazelcast maps: the config map holds one entry, the signed
 * envelope of the current revision ({@link SignedRevision#encoded()}, plain bytes: no domain
 * class is ever serialized by Hazelcast), and the status map holds each host's status as JSON
 * text, signed with the host's key when the store has one ({@link SignedHostStatus}) and
 * verified by every reader ({@link #status()}).
 *
 * <p>Publishing is compare-and-set on those bytes ({@code putIfAbsent} for the first revision,
 * {@code replace(key, old, new)} after), so of two publishes from the same base exactly one
 * wins. Every value that arrives (event, periodic re-read, local file) is verified against the
 * trusted keys before it is accepted. Accepted revisions are written through to a local file
 * before anything else sees them ({@link DurableFile}: a crash leaves the old revision or the new,
 * never a torn file); when the whole cluster restarted and the map is empty, the file puts the
 * last revision back. A state file that does not verify stops the start
 * ({@link StateFileException}).
 *
 * <p>The instance may be a member or a client ({@code HazelcastClient}): a client re-reads the
 * map whenever it (re)connects, so a client node also restores the revision into a cluster whose
 * members all restarted. All Hazelcast calls run on the store's own thread, never on the
 * caller's. The store shuts down the Hazelcast instance only when it created it
 * ({@link Builder#config}).
 */
public final class HazelcastClusterConfigStore implements ClusterConfigStore {

    public static final String DEFAULT_CONFIG_MAP = "smcvertx.fleet-config";
    public static final String DEFAULT_STATUS_MAP = "smcvertx.host-status";
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(30);
    static final String KEY = "current";

    private static final System.Logger LOG = System.getLogger(HazelcastClusterConfigStore.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();

    private final HazelcastInstance hz;
    private final boolean ownsInstance;
    private final String host;
    private final TrustedKeys trust;
    private final HostKey hostKey;
    private final HostEnrollment enrollment;
    private final Optional<Path> stateFile;
    private final IMap<String, byte[]> configMap;
    private final IMap<String, String> statusMap;
    private final ScheduledExecutorService worker;
    private final ExecutorService delivery;
    private final SubmissionPublisher<SignedRevision> changes;
    private final SubmissionPublisher<Rejection> rejections;
    private final Duration resyncInterval;
    private volatile SignedRevision current;
    private volatile Rejection lastRejection;
    private byte[] lastRejectedBytes;
    private UUID listenerId;
    private UUID lifecycleId;
    private volatile boolean closed;

    private HazelcastClusterConfigStore(Builder b, HazelcastInstance hz, boolean owns) {
        this.hz = hz;
        this.ownsInstance = owns;
        this.host = b.host;
        this.trust = b.trust;
        this.hostKey = b.hostKey;
        this.enrollment = b.enrollment;
        this.stateFile = Optional.ofNullable(b.stateFile);
        this.resyncInterval = b.resyncInterval;
        int id = IDS.incrementAndGet();
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("smc-config-store-" + id).factory());
        // Subscribers are handed each revision on virtual threads: a delivery is short and rare,
        // and a cached pool kept two idle platform threads per store for a minute after each one
        // (one per publisher), which is most of what a store costs when a host runs many of them.
        this.delivery = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("smc-config-events-" + id + "-", 0).factory());
        this.changes = new SubmissionPublisher<>(delivery, Flow.defaultBufferSize());
        this.rejections = new SubmissionPublisher<>(delivery, Flow.defaultBufferSize());
        this.configMap = hz.getMap(b.configMap);
        this.statusMap = hz.getMap(b.statusMap);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Who this member is in rejection reports. */
    public String host() {
        return host;
    }

    /** The Hazelcast instance in use (shared or owned). */
    public HazelcastInstance hazelcast() {
        return hz;
    }

    @Override
    public CompletionStage<SignedRevision> publish(FleetConfig config, OperatorKey key) {
        Objects.requireNonNull(config, "`config` must not be `null`");
        Objects.requireNonNull(key, "`key` must not be `null`");
        return publish(SignedRevision.sign(config, key));
    }

    @Override
    public CompletionStage<SignedRevision> publish(SignedRevision revision) {
        Objects.requireNonNull(revision, "`revision` must not be `null`");
        if (!trust.isEmpty() && trust.find(revision.keyId()).isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("`key` " + revision.keyId()
                    + " is not trusted by member " + host + ": every member would refuse this revision"));
        }
        return onWorker(() -> {
            byte[] raw = configMap.get(KEY);
            long base = baseRevision(raw);
            if (revision.revision() != base + 1) {
                throw new ConfigConflictException(revision.revision(), base, "revision " + revision.revision()
                        + " cannot follow revision " + base + ": publish revision " + (base + 1)
                        + " made from the current configuration");
            }
            byte[] encoded = revision.encoded();
            FaultPoints.reached(FaultPoints.PUBLISH_BEFORE_CAS);
            boolean won = raw == null ? configMap.putIfAbsent(KEY, encoded) == null
                    : configMap.replace(KEY, raw, encoded);
            if (!won) {
                long now = baseRevision(configMap.get(KEY));
                throw new ConfigConflictException(revision.revision(), now, "another publish of revision "
                        + revision.revision() + " got there first (the store now holds revision " + now
                        + "): fetch it, apply your change to it and publish revision " + (now + 1));
            }
            FaultPoints.reached(FaultPoints.PUBLISH_AFTER_CAS);
            if (!trust.isEmpty()) {
                accept(revision);
            }
            return revision;
        });
    }

    @Override
    public Optional<SignedRevision> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public Flow.Publisher<SignedRevision> changes() {
        return changes;
    }

    @Override
    public Flow.Publisher<Rejection> rejections() {
        return rejections;
    }

    @Override
    public Optional<Rejection> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    /**
     * What the config map holds right now, decoded but not verified: for tools that must show
     * even a refused value (the CLI's {@code show}).
     */
    public CompletionStage<Optional<byte[]>> storedEnvelope() {
        return onWorker(() -> Optional.ofNullable(configMap.get(KEY)));
    }

    @Override
    public TrustedKeys trustedKeys() {
        return trust;
    }

    /**
     * Every entry of the status map, each verified against the trusted keys: only a status its
     * host signed with an enrolled key is {@link HostReport#verified()}; unsigned, forged and
     * unreadable entries are returned too, marked, so that a reader can show them as such.
     */
    @Override
    public CompletionStage<Map<String, HostReport>> status() {
        return onWorker(() -> {
            Map<String, HostReport> out = new TreeMap<>();
            for (Map.Entry<String, String> e : statusMap.entrySet()) {
                out.put(e.getKey(), SignedHostStatus.verify(e.getKey(), e.getValue(), trust));
            }
            return out;
        });
    }

    /** Signs the status with this host's key when the store has one ({@link Builder#hostKey}). */
    @Override
    public CompletionStage<Void> reportStatus(HostStatus status) {
        Objects.requireNonNull(status, "`status` must not be `null`");
        String json;
        try {
            json = hostKey == null ? SignedHostStatus.unsigned(status) : SignedHostStatus.sign(status, hostKey, enrollment);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onWorker(() -> {
            statusMap.set(status.host(), json);
            return null;
        });
    }

    /** Re-reads the config map now (the store also does it every resync interval). */
    public CompletionStage<Optional<SignedRevision>> refresh() {
        return onWorker(() -> {
            byte[] raw = configMap.get(KEY);
            if (raw != null) {
                offer(raw, true);
            }
            return current();
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> stop = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                if (listenerId != null && hz.getLifecycleService().isRunning()) {
                    configMap.removeEntryListener(listenerId);
                }
                if (lifecycleId != null) {
                    hz.getLifecycleService().removeLifecycleListener(lifecycleId);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "listener removal failed: {0}", e.toString());
            } finally {
                stop.complete(null);
            }
        });
        try {
            stop.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "store close did not finish in time: {0}", e.toString());
        }
        worker.shutdownNow();
        changes.close();
        rejections.close();
        delivery.shutdown();
        if (ownsInstance) {
            hz.shutdown();
        }
    }

    // ---- on the worker thread only ----

    private void start() {
        if (stateFile.isPresent()) {
            StateFile.load(stateFile.get(), trust).ifPresent(this::accept);
        }
        listenerId = configMap.addEntryListener(new Listener(), KEY, true);
        lifecycleId = hz.getLifecycleService().addLifecycleListener(event -> {
            // a client that (re)connects, possibly to a cluster whose members all restarted empty
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED
                    || event.getState() == LifecycleEvent.LifecycleState.CLIENT_CHANGED_CLUSTER) {
                try {
                    worker.execute(this::resync);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "reconnect after close ignored");
                }
            }
        });
        byte[] raw = configMap.get(KEY);
        SignedRevision local = current;
        if (raw == null) {
            if (local != null) {
                // the whole cluster was down: the map starts empty, the file remembers
                byte[] prev = configMap.putIfAbsent(KEY, local.encoded());
                if (prev != null) {
                    offer(prev, true);
                } else {
                    LOG.log(Level.INFO, "restored revision {0} into the cluster from {1}", local.revision(),
                            stateFile.orElseThrow());
                }
            }
        } else {
            offer(raw, true);
        }
        if (!resyncInterval.isZero()) {
            worker.scheduleWithFixedDelay(this::resync, resyncInterval.toMillis(), resyncInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void resync() {
        try {
            byte[] raw = configMap.get(KEY);
            if (raw != null) {
                offer(raw, true);
            } else if (current != null) {
                configMap.putIfAbsent(KEY, current.encoded());
            }
        } catch (HazelcastInstanceNotActiveException e) {
            LOG.log(Level.DEBUG, "resync skipped: Hazelcast is not running");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "resync of the fleet configuration failed: {0}", e.toString());
        }
    }

    /** Verifies a value from the map and accepts it if it is newer than what this member has. */
    private void offer(byte[] raw, boolean repairStale) {
        SignedRevision have = current;
        if (have != null && Arrays.equals(raw, have.encoded())) {
            return;
        }
        SignedRevision r;
        try {
            r = SignedRevision.verify(raw, trust);
        } catch (RevisionRejectedException e) {
            reject(e, raw, "");
            return;
        }
        if (have != null && r.revision() < have.revision()) {
            reject(new RevisionRejectedException(RevisionRejectedException.Reason.STALE, "the store holds revision "
                    + r.revision() + ", older than revision " + have.revision() + " accepted here: a replay"), raw, "");
            if (repairStale) {
                configMap.replace(KEY, raw, have.encoded());
            }
            return;
        }
        accept(r);
    }

    /** Durable first, visible second: no reconciler applies a revision its host could forget in a crash. */
    private void accept(SignedRevision r) {
        SignedRevision have = current;
        if (have != null && (have.equals(r) || r.revision() < have.revision())) {
            return;
        }
        stateFile.ifPresent(f -> StateFile.write(f, r));
        current = r;
        LOG.log(Level.DEBUG, "member {0} accepted {1}", host, r);
        if (!closed) {
            changes.submit(r);
        }
    }

    private void reject(RevisionRejectedException e, byte[] raw, String prefix) {
        if (raw != null && Arrays.equals(raw, lastRejectedBytes)) {
            return;
        }
        lastRejectedBytes = raw;
        Rejection rej = new Rejection(host, e.reason(), prefix + e.getMessage(), Instant.now());
        lastRejection = rej;
        LOG.log(Level.WARNING, "member {0} refused a fleet configuration: {1}", host, rej);
        if (!closed) {
            rejections.submit(rej);
        }
    }

    private long baseRevision(byte[] raw) {
        if (raw != null) {
            try {
                // a member trusts only what verifies; a tool without keys takes the map's word
                return (trust.isEmpty() ? SignedRevision.decodeUnverified(raw) : SignedRevision.verify(raw, trust))
                        .revision();
            } catch (RevisionRejectedException e) {
                // garbage in the map must not lock publishers out: they replace it
            }
        }
        SignedRevision have = current;
        return have == null ? 0 : have.revision();
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    private <T> CompletionStage<T> onWorker(Task<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    f.complete(task.run());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(new IllegalStateException("the store is closed", e));
        }
        return f;
    }

    private final class Listener implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]> {
        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            handle(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            handle(event.getValue());
        }

        private void handle(byte[] value) {
            if (value != null && !closed) {
                try {
                    worker.execute(() -> offer(value, true));
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "event after close ignored");
                }
            }
        }
    }

    /** Builds and starts a store. */
    public static final class Builder {

        private HazelcastInstance instance;
        private Config config;
        private String host;
        private TrustedKeys trust = TrustedKeys.none();
        private HostKey hostKey;
        private HostEnrollment enrollment;
        private Path stateFile;
        private String configMap = DEFAULT_CONFIG_MAP;
        private String statusMap = DEFAULT_STATUS_MAP;
        private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;

        private Builder() {
        }

        /** A running instance (member or client) shared with others; the store never shuts it down. */
        public Builder instance(HazelcastInstance instance) {
            this.instance = Objects.requireNonNull(instance, "`instance` must not be `null`");
            return this;
        }

        /** Start a member from this configuration; the store owns it and shuts it down on close. */
        public Builder config(Config config) {
            this.config = Objects.requireNonNull(config, "`config` must not be `null`");
            return this;
        }

        /** This member's host name in reports; defaults to the instance name. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "`host` must not be `null`");
            return this;
        }

        /** Operator keys whose revisions this member accepts. Without any, every revision is refused. */
        public Builder trustedKeys(TrustedKeys trust) {
            this.trust = Objects.requireNonNull(trust, "`trustedKeys` must not be `null`");
            return this;
        }

        /**
         * Signs this host's status with {@code key}; {@code enrollment} (the operator's signature
         * on it) goes with every status, so readers can check it. Checked at {@link #start()}: the
         * enrollment must be for this store's host and key, and signed by a trusted operator key.
         */
        public Builder hostKey(HostKey key, HostEnrollment enrollment) {
            this.hostKey = Objects.requireNonNull(key, "`hostKey` must not be `null`");
            this.enrollment = Objects.requireNonNull(enrollment, "`enrollment` must not be `null`");
            return this;
        }

        /** Write-through file: the last accepted revision survives a restart of the whole cluster. */
        public Builder stateFile(Path stateFile) {
            this.stateFile = Objects.requireNonNull(stateFile, "`stateFile` must not be `null`");
            return this;
        }

        public Builder configMapName(String name) {
            this.configMap = Objects.requireNonNull(name, "`configMapName` must not be `null`");
            return this;
        }

        public Builder statusMapName(String name) {
            this.statusMap = Objects.requireNonNull(name, "`statusMapName` must not be `null`");
            return this;
        }

        /** How often the map is re-read in case an event was missed; zero turns it off. */
        public Builder resyncInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("`resyncInterval` must not be negative");
            }
            this.resyncInterval = interval;
            return this;
        }

        /**
         * Creates the store, registers its listener and loads the current revision (from the map,
         * or from the state file when the map is empty), on a thread of its own.
         */
        public CompletionStage<HazelcastClusterConfigStore> start() {
            if ((instance == null) == (config == null)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "exactly one of `instance` and `config` must be given"));
            }
            try {
                if (hostKey != null) {
                    enrollment.checkFor(host, hostKey, trust);
                }
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
            CompletableFuture<HazelcastClusterConfigStore> f = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("smc-config-store-start").start(() -> {
                HazelcastInstance hz = null;
                HazelcastClusterConfigStore store = null;
                try {
                    hz = instance != null ? instance : Hazelcast.newHazelcastInstance(config);
                    if (host == null) {
                        host = hz.getName();
                    }
                    store = new HazelcastClusterConfigStore(this, hz, instance == null);
                    HazelcastClusterConfigStore s = store;
                    s.onWorker(() -> {
                        s.start();
                        return s;
                    }).whenComplete((ok, err) -> {
                        if (err != null) {
                            s.close();
                            f.completeExceptionally(err);
                        } else {
                            f.complete(ok);
                        }
                    });
                } catch (Throwable t) {
                    if (store != null) {
                        store.close();
                    } else if (hz != null && instance == null) {
                        hz.shutdown();
                    }
                    f.completeExceptionally(t);
                }
            });
            return f;
        }
    }
}
