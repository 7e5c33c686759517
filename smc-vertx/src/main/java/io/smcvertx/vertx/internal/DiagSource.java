package io.smcvertx.vertx.internal;

import io.smcvertx.transport.diag.ConnectionMode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The kernel's word on one SMC socket, looked up by inode off the event loop (smc_diag dumps are
 * batched by the reader behind this).
 */
public interface DiagSource {

    /** What the kernel says about the SMC socket with this inode; empty when it has no such socket. */
    CompletionStage<Optional<KernelView>> lookup(long inode);

    /** Why no lookup can be made, when none can. */
    Optional<String> unavailabilityCause();

    /**
     * One socket as smc_diag describes it.
     *
     * @param mode what the socket got
     * @param fallbackReason the kernel's CLC decline code, 0 when not a fallback
     * @param fallbackReasonName a readable name of that code
     * @param peerDiagnosis the decline code the peer sent, 0 when none
     * @param peerDiagnosisName a readable name of that code
     */
    record KernelView(ConnectionMode mode, int fallbackReason, String fallbackReasonName, int peerDiagnosis, String peerDiagnosisName) {
    }
}
