package io.smcvertx.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The fleet's desired SMC configuration as a sequence of signed revisions, shared by every
 * member. Only revisions signed by a trusted operator key are accepted; anything else found in
 * the store is refused and reported ({@link #rejections()}), never applied.
 *
 * <p>Nothing here blocks the caller: results come as {@link CompletionStage}s completed on the
 * store's own threads, and events as {@link Flow.Publisher}s (Mutiny adapts them with
 * {@code Multi.createFrom().publisher(..)}).
 */
public interface ClusterConfigStore extends AutoCloseable {

    /**
     * Signs and publishes {@code config}. Its revision must be exactly one above the current
     * one; when another publish of the same base got there first, or the base is old, the stage
     * fails with {@link ConfigConflictException} and nothing is written.
     */
    CompletionStage<SignedRevision> publish(FleetConfig config, OperatorKey key);

    /** Publishes an already signed revision, with the same revision check. */
    CompletionStage<SignedRevision> publish(SignedRevision revision);

    /** The newest revision this member accepted (verified), if any. */
    Optional<SignedRevision> current();

    /**
     * Every revision this member accepts from now on, in order. A subscriber that also needs the
     * present state subscribes first and then reads {@link #current()}.
     */
    Flow.Publisher<SignedRevision> changes();

    /** Every revision this member refuses from now on (unsigned, tampered, unknown key, replayed). */
    Flow.Publisher<Rejection> rejections();

    /** The last refusal, if any. */
    Optional<Rejection> lastRejection();

    /**
     * Per-host status as the reconcilers last published it, by host name, each marked with
     * whether its host signed it ({@link HostReport#verified()}): anyone who reaches the cluster
     * can write an entry, so only a verified one speaks for its host.
     */
    CompletionStage<Map<String, HostReport>> status();

    /** Publishes one host's status (what a reconciler calls), signed when the store has a host key. */
    CompletionStage<Void> reportStatus(HostStatus status);

    /** The operator keys this store verifies revisions, enrollments and files with. */
    TrustedKeys trustedKeys();

    /** Stops listening; shuts down the Hazelcast instance only if the store created it. */
    @Override
    void close();
}
