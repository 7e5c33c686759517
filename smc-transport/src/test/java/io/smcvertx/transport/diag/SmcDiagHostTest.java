package io.smcvertx.transport.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.SmcNativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** On a kernel without SMC (the build host) the real dump fails with a cause a person can act on. */
class SmcDiagHostTest {

    @Test
    void dumpOnAKernelWithoutSmcDiagSaysWhatIsMissing() throws IOException {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/smc_diag")), "this kernel has smc_diag loaded");
        try (SmcDiag diag = SmcDiag.open()) {
            assertThatThrownBy(diag::dump)
                    .isInstanceOf(SmcNativeException.class)
                    .hasMessageContaining("smc_diag module");
        }
    }

    @Test
    void lookupFailsAsynchronouslyToo() {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/smc_diag")), "this kernel has smc_diag loaded");
        try (SmcDiag diag = SmcDiag.open()) {
            assertThat(diag.lookup(1).toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(20))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("smc_diag");
        }
    }
}
