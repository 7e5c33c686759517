package io.smcvertx.disni.internal;

import io.smcvertx.disni.RdmaReadinessStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * One check of the JVM's environment made before any DiSNI class that loads {@code libdisni} is
 * touched.
 *
 * @param failure  the verdict when this check fails
 * @param passed   whether it passed
 * @param evidence what was seen, passed or not
 * @param remedy   what fixes it when it failed
 */
public record EnvironmentCheck(RdmaReadinessStatus failure, boolean passed, String evidence, Optional<String> remedy) {

    public EnvironmentCheck {
        Objects.requireNonNull(failure, "`failure` must not be `null`");
        Objects.requireNonNull(evidence, "`evidence` must not be `null`");
        Objects.requireNonNull(remedy, "`remedy` must not be `null`");
    }

    static EnvironmentCheck pass(RdmaReadinessStatus failure, String evidence) {
        return new EnvironmentCheck(failure, true, evidence, Optional.empty());
    }

    static EnvironmentCheck fail(RdmaReadinessStatus failure, String evidence, String remedy) {
        return new EnvironmentCheck(failure, false, evidence, Optional.of(remedy));
    }

    @Override
    public String toString() {
        return (passed ? "ok" : failure.name()) + ": " + evidence + remedy.map(r -> " (fix: " + r + ")").orElse("");
    }
}
