package io.smcvertx.transport.doctor;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link SmcDoctor} found on one host at one time.
 *
 * @param host          the host name (what {@code smcctl cluster doctor} lists it by)
 * @param kernelRelease {@code uname -r}
 * @param at            when the checks ran
 * @param findings      the findings, in check order
 */
public record DoctorReport(String host, String kernelRelease, Instant at, List<Finding> findings) {

    public DoctorReport {
        Objects.requireNonNull(host, "`host` must not be `null`");
        Objects.requireNonNull(kernelRelease, "`kernelRelease` must not be `null`");
        Objects.requireNonNull(at, "`at` must not be `null`");
        findings = List.copyOf(findings);
    }

    /** Whether any check failed (what makes {@code smcctl doctor} exit non-zero). */
    public boolean failed() {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
    }

    /** The worst status found ({@code OK} for an empty report). */
    public Finding.Status worst() {
        return findings.stream().map(Finding::status).max(Comparator.naturalOrder()).orElse(Finding.Status.OK);
    }

    /** How many findings have this status. */
    public long count(Finding.Status status) {
        return findings.stream().filter(f -> f.status() == status).count();
    }

    /** "12 OK, 2 INFO, 3 WARN, 1 FAIL". */
    public String summary() {
        return count(Finding.Status.OK) + " OK, " + count(Finding.Status.INFO) + " INFO, " + count(Finding.Status.WARN)
                + " WARN, " + count(Finding.Status.FAIL) + " FAIL";
    }
}
