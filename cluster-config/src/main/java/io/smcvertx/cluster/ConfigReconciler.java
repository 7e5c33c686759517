package io.smcvertx.cluster;

import io.smcvertx.cluster.internal.Capabilities;
import io.smcvertx.cluster.internal.KernelState;
import io.smcvertx.cluster.internal.Planner;
import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.SmcSystem;
import io.smcvertx.transport.system.TransparentSelection;
import io.smcvertx.transport.system.TransparentSmc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Keeps one host's kernel in line with the fleet configuration. On every new revision (and
 * every {@link Builder#interval}), on its own thread: computes this host's slice, reads the
 * kernel through {@link SmcSystem}, applies the minimal change, and publishes a
 * {@link HostStatus}. A revision is applied fully or not at all: when a step fails, the steps
 * already done are undone in reverse order. Re-running on an applied kernel changes nothing.
 *
 * <p>Without kernel SMC, or without CAP_NET_ADMIN, it reports that and keeps running (the
 * kernel may get SMC later, the status stays useful). Hand-made changes are reported as drift;
 * with {@link DriftPolicy#CORRECT} they are also undone.
 *
 * <p>The slice's {@code transparent} cgroup patterns go to a {@link TransparentSmc} (given with
 * {@link Builder#transparent}; the reconciler owns it and closes it), re-applied on every pass so
 * new cgroups are picked up; a host whose slice has none never attaches anything. Without kernel
 * SMC the upgrade is detached: a selected process could no longer make sockets.
 */
public final class ConfigReconciler implements AutoCloseable {

    /** The re-check period unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** The status of a host that cannot write. */
    public static final String READ_ONLY_NO_CAP = "read-only: missing CAP_NET_ADMIN";
    /** The refusal of a host whose process has no transparent SMC implementation wired in. */
    public static final String NO_TRANSPARENT = "transparent SMC is not available in this process (no BPF loader "
            + "wired in: the node brings module smc-bpf)";

    /** What to do about a kernel that differs from the applied revision. */
    public enum DriftPolicy {
        /** Report it; remove only what an earlier revision put there. */
        REPORT,
        /** Report it and put the kernel back, removing hand-made entries too. */
        CORRECT
    }

    private static final System.Logger LOG = System.getLogger(ConfigReconciler.class.getName());

    private final ClusterConfigStore store;
    private final SmcSystem system;
    private final HostIdentity host;
    private final Duration interval;
    private final BooleanSupplier writable;
    private final DriftPolicy policy;
    private final Optional<Path> appliedFile;
    private final Optional<TransparentSmc> transparent;
    private final ScheduledExecutorService exec;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final List<Flow.Subscription> subscriptions = new ArrayList<>();
    private volatile HostStatus lastStatus;
    private volatile boolean closed;
    // confined to exec
    private FleetConfig applied;
    private HostSlice managed = HostSlice.empty();
    private String lastError;
    private boolean transparentAttached;

    private ConfigReconciler(Builder b) {
        this.store = b.store;
        this.system = b.system;
        this.host = b.host;
        this.interval = b.interval;
        this.writable = b.writable;
        this.policy = b.policy;
        this.appliedFile = Optional.ofNullable(b.appliedFile);
        this.transparent = Optional.ofNullable(b.transparent);
        this.exec = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("smc-reconciler-" + host.name()).factory());
    }

    public static Builder builder(ClusterConfigStore store, SmcSystem system, HostIdentity host) {
        return new Builder(store, system, host);
    }

    /** The host this reconciler works for. */
    public HostIdentity host() {
        return host;
    }

    /** The last status published, if any. */
    public Optional<HostStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }

    /** Reconciles now, on the reconciler's thread; completes with the status it published. */
    public CompletionStage<HostStatus> reconcileNow() {
        CompletableFuture<HostStatus> f = new CompletableFuture<>();
        try {
            exec.execute(() -> {
                try {
                    f.complete(reconcile());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(new IllegalStateException("the reconciler is closed", e));
        }
        return f;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
            subscriptions.clear();
        }
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transparent.ifPresent(TransparentSmc::close);
    }

    private void start() {
        appliedFile.filter(Files::exists).ifPresent(f -> exec.execute(() -> loadApplied(f)));
        store.changes().subscribe(new Trigger<>());
        store.rejections().subscribe(new Trigger<>());
        exec.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void trigger() {
        if (!closed && pending.compareAndSet(false, true)) {
            try {
                exec.execute(() -> {
                    pending.set(false);
                    tick();
                });
            } catch (RuntimeException e) {
                pending.set(false);
            }
        }
    }

    private void tick() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "reconciler of " + host.name() + " failed", e);
        }
    }

    private HostStatus reconcile() {
        Optional<SignedRevision> desiredRev = store.current();
        HostSlice desired = desiredRev.map(r -> r.config().sliceFor(host)).orElse(HostSlice.empty());
        List<String> notes = new ArrayList<>();
        KernelState kernel;
        try {
            kernel = KernelState.read(system, desired.handshakeLimitation().isPresent());
        } catch (IOException | RuntimeException e) {
            String cause = "SMC unavailable: " + e.getMessage();
            return publish(desiredRev, Optional.of(cause), Optional.empty(), null, List.of(), notes,
                    transparentWithoutSmc(desired, cause));
        }
        notes.addAll(kernel.notes());
        Optional<String> readOnly = writable.getAsBoolean() ? Optional.empty() : Optional.of(READ_ONLY_NO_CAP);
        if (desiredRev.isPresent() && readOnly.isEmpty()) {
            FleetConfig want = desiredRev.get().config();
            boolean newRevision = applied == null || applied.revision() != want.revision() || lastError != null;
            List<String> planNotes = new ArrayList<>();
            List<Planner.Step> steps = Planner.plan(desired, kernel, managed,
                    !newRevision && policy == DriftPolicy.CORRECT, planNotes);
            notes.addAll(planNotes);
            if (newRevision || (policy == DriftPolicy.CORRECT && !steps.isEmpty())) {
                String failure = execute(steps, want.revision());
                if (failure == null) {
                    applied = want;
                    managed = desired;
                    lastError = null;
                    appliedFile.ifPresent(f -> saveApplied(f, want));
                } else {
                    lastError = failure;
                }
                try {
                    kernel = KernelState.read(system, desired.handshakeLimitation().isPresent());
                } catch (IOException | RuntimeException e) {
                    String cause = "SMC unavailable: " + e.getMessage();
                    return publish(desiredRev, Optional.of(cause), readOnly, kernel, List.of(), notes,
                            transparentWithoutSmc(desired, cause));
                }
            }
        }
        List<String> drift = new ArrayList<>(desiredRev.isPresent() ? Planner.drift(desired, kernel) : List.of());
        Optional<TransparentStatus> t = applyTransparent(desired.transparent(), drift, notes);
        return publish(desiredRev, Optional.empty(), readOnly, kernel, drift, notes, t);
    }

    /** Applies the slice's cgroup patterns (every pass: new cgroups appear); empty when the slice has none. */
    private Optional<TransparentStatus> applyTransparent(Set<CgroupPattern> want, List<String> drift,
            List<String> notes) {
        if (want.isEmpty() && !transparentAttached) {
            return Optional.empty();
        }
        List<String> patterns = want.stream().map(CgroupPattern::value).sorted().toList();
        if (transparent.isEmpty()) {
            return Optional.of(new TransparentStatus(patterns, false, List.of(), List.of(),
                    Optional.of(NO_TRANSPARENT), ""));
        }
        TransparentSelection sel;
        try {
            sel = transparent.get().apply(want);
        } catch (RuntimeException e) {
            sel = TransparentSelection.refused("transparent SMC failed: " + e);
        }
        if (sel.attached() != transparentAttached) {
            LOG.log(Level.INFO, "{0}: transparent SMC {1}", host.name(), sel.attached() ? "attached: "
                    + sel.attachment() : "detached" + sel.refusal().map(r -> " (" + r + ")").orElse(""));
        }
        transparentAttached = sel.attached();
        sel.corrected().forEach(c -> drift.add("transparent: " + c));
        sel.unmatched().forEach(u -> notes.add("transparent: cgroup pattern " + u + " matches no cgroup on this host"));
        if (want.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TransparentStatus(patterns, sel.attached(),
                sel.selected().stream().map(c -> c.path() + " (id " + c.id() + ")").toList(),
                sel.unmatched().stream().map(CgroupPattern::value).toList(), sel.refusal(), sel.attachment()));
    }

    /** No kernel SMC: whatever is attached goes (selected processes could no longer make sockets). */
    private Optional<TransparentStatus> transparentWithoutSmc(HostSlice desired, String cause) {
        if (transparentAttached) {
            transparent.ifPresent(t -> t.apply(Set.of()));
            transparentAttached = false;
            LOG.log(Level.WARNING, "{0}: transparent SMC detached: {1}", host.name(), cause);
        }
        if (desired.transparent().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TransparentStatus(desired.transparent().stream().map(CgroupPattern::value).sorted()
                .toList(), false, List.of(), List.of(), Optional.of("not attached: " + cause), ""));
    }

    /** Runs the steps; on a failure undoes the done ones, newest first. Null when all succeeded. */
    private String execute(List<Planner.Step> steps, long revision) {
        List<Planner.Step> done = new ArrayList<>();
        for (Planner.Step step : steps) {
            try {
                step.apply().run(system);
                done.add(step);
            } catch (IOException | RuntimeException e) {
                done.add(step); // a partial step is undone too: its undo restores the whole unit
                List<String> undoFailures = new ArrayList<>();
                for (int i = done.size() - 1; i >= 0; i--) {
                    try {
                        done.get(i).undo().run(system);
                    } catch (IOException | RuntimeException u) {
                        undoFailures.add(done.get(i).description() + ": " + u.getMessage());
                    }
                }
                String msg = "revision " + revision + " not applied: " + step.description() + " failed: "
                        + e.getMessage() + "; rolled back " + (done.size() - 1) + " earlier step(s)";
                if (!undoFailures.isEmpty()) {
                    msg += "; rollback incomplete: " + String.join("; ", undoFailures);
                }
                LOG.log(Level.WARNING, "{0}: {1}", host.name(), msg);
                return msg;
            }
        }
        if (!steps.isEmpty()) {
            LOG.log(Level.INFO, "{0}: revision {1} applied in {2} step(s)", host.name(), revision, steps.size());
        }
        return null;
    }

    private HostStatus publish(Optional<SignedRevision> desiredRev, Optional<String> noSmc, Optional<String> readOnly,
            KernelState kernel, List<String> drift, List<String> notes, Optional<TransparentStatus> transparentStatus) {
        HostStatus s = new HostStatus(host.name(), applied == null ? 0 : applied.revision(),
                desiredRev.map(SignedRevision::revision).orElse(0L), noSmc.isEmpty(), noSmc, readOnly,
                kernel == null ? Optional.empty() : kernel.seid().seid(),
                kernel != null && kernel.seid().enabled(), drift, Optional.ofNullable(lastError),
                store.lastRejection().map(Rejection::toString), notes, Instant.now(), transparentStatus);
        lastStatus = s;
        store.reportStatus(s).whenComplete((ok, err) -> {
            if (err != null && !closed) {
                LOG.log(Level.WARNING, "{0}: status not published: {1}", host.name(), err.toString());
            }
        });
        return s;
    }

    private void loadApplied(Path f) {
        try {
            // only what it owns: the first pass re-applies anyway, in case the kernel lost it (reboot)
            managed = FleetConfigJson.parse(Files.readString(f, StandardCharsets.UTF_8)).sliceFor(host);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "{0}: ignoring unreadable {1}: {2}", host.name(), f, e.getMessage());
        }
    }

    private void saveApplied(Path f, FleetConfig c) {
        try {
            Path dir = f.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, f.getFileName().toString(), ".tmp");
            Files.write(tmp, FleetConfigJson.canonical(c));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot record the applied revision in {1}: {2}", host.name(), f, e.toString());
        }
    }

    /** Any event from the store means "look again"; the store's current() is the truth. */
    private final class Trigger<T> implements Flow.Subscriber<T> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (subscriptions) {
                if (closed) {
                    s.cancel();
                    return;
                }
                subscriptions.add(s);
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T item) {
            trigger();
        }

        @Override
        public void onError(Throwable t) {
            LOG.log(Level.WARNING, "{0}: store events failed: {1}", host.name(), t.toString());
        }

        @Override
        public void onComplete() {
            // the store closed; periodic checks go on until this reconciler is closed
        }
    }

    /** Configures and starts a reconciler. */
    public static final class Builder {
        private final ClusterConfigStore store;
        private final SmcSystem system;
        private final HostIdentity host;
        private Duration interval = DEFAULT_INTERVAL;
        private BooleanSupplier writable = Capabilities::hasNetAdmin;
        private DriftPolicy policy = DriftPolicy.REPORT;
        private Path appliedFile;
        private TransparentSmc transparent;

        private Builder(ClusterConfigStore store, SmcSystem system, HostIdentity host) {
            this.store = Objects.requireNonNull(store, "`store` must not be `null`");
            this.system = Objects.requireNonNull(system, "`system` must not be `null`");
            this.host = Objects.requireNonNull(host, "`host` must not be `null`");
        }

        /** How often the kernel is re-checked for drift (and a failed revision retried). */
        public Builder interval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("`interval` must be greater than zero");
            }
            this.interval = interval;
            return this;
        }

        /** Whether this process may write; defaults to checking CAP_NET_ADMIN in /proc/self/status. */
        public Builder writable(BooleanSupplier writable) {
            this.writable = Objects.requireNonNull(writable, "`writable` must not be `null`");
            return this;
        }

        public Builder driftPolicy(DriftPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "`driftPolicy` must not be `null`");
            return this;
        }

        /**
         * Remembers the applied revision across restarts, so entries a revision added are still
         * known as this reconciler's (and removed when a later revision drops them).
         */
        public Builder appliedFile(Path file) {
            this.appliedFile = Objects.requireNonNull(file, "`appliedFile` must not be `null`");
            return this;
        }

        /**
         * Where the slice's {@code transparent} section goes (module smc-bpf's {@code BpfTransparentSmc}).
         * The reconciler owns it: it is closed, and so detached, with the reconciler.
         */
        public Builder transparent(TransparentSmc port) {
            this.transparent = Objects.requireNonNull(port, "`transparent` must not be `null`");
            return this;
        }

        /** Starts reconciling at once, then on every change and every interval. */
        public ConfigReconciler start() {
            ConfigReconciler r = new ConfigReconciler(this);
            r.start();
            return r;
        }
    }
}
