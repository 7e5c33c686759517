package io.smcvertx.transport.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * One result of {@link SmcDoctor}: which check, about what, how it stands, the evidence it was
 * judged on, and the command that fixes it when it is not OK.
 *
 * @param check    the check's stable name, e.g. {@code pause} or {@code eid.ueid}
 * @param status   how it stands
 * @param subject  what it is about: a device, interface, sysctl or {@code host}
 * @param summary  the finding in one sentence
 * @param evidence what was read, and where
 * @param fix      the command (or action) that fixes it, when there is one
 */
public record Finding(String check, Status status, String subject, String summary, String evidence,
        Optional<String> fix) {

    /** Severity, worst last. Only {@link #FAIL} makes {@code smcctl doctor} exit non-zero. */
    public enum Status {
        /** As it should be. */
        OK,
        /** Worth knowing; nothing to change. */
        INFO,
        /** SMC works, but not as well or as widely as it could. */
        WARN,
        /** SMC (or the kind the host is set up for) cannot work until this is fixed. */
        FAIL
    }

    public Finding {
        Objects.requireNonNull(check, "`check` must not be `null`");
        Objects.requireNonNull(status, "`status` must not be `null`");
        Objects.requireNonNull(subject, "`subject` must not be `null`");
        Objects.requireNonNull(summary, "`summary` must not be `null`");
        Objects.requireNonNull(evidence, "`evidence` must not be `null`");
        Objects.requireNonNull(fix, "`fix` must not be `null`");
    }

    static Finding ok(String check, String subject, String summary, String evidence) {
        return new Finding(check, Status.OK, subject, summary, evidence, Optional.empty());
    }

    static Finding info(String check, String subject, String summary, String evidence) {
        return new Finding(check, Status.INFO, subject, summary, evidence, Optional.empty());
    }

    static Finding warn(String check, String subject, String summary, String evidence, String fix) {
        return new Finding(check, Status.WARN, subject, summary, evidence, Optional.ofNullable(fix));
    }

    static Finding fail(String check, String subject, String summary, String evidence, String fix) {
        return new Finding(check, Status.FAIL, subject, summary, evidence, Optional.ofNullable(fix));
    }
}
