package io.smcvertx.transport.system;

import java.util.Locale;
import java.util.Objects;

/**
 * A physical network ID: which NICs, RoCE ports and ISM devices share one physical network.
 * The kernel accepts at most 16 characters of A-Z and 0-9 (smc_pnet.c); lower case is
 * upper-cased here as {@code smc_pnet} does, so "net1" and "NET1" name the same network.
 */
public record PnetId(String value) implements Comparable<PnetId> {

    public static final int MAX_LENGTH = 16;

    public PnetId {
        value = normalize("pnetId", value);
    }

    public static PnetId of(String value) {
        return new PnetId(value);
    }

    /** Validates and upper-cases; {@code field} names the input in the error. */
    static String normalize(String field, String value) {
        Objects.requireNonNull(value, "`" + field + "` must not be `null`");
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("`" + field + "` must not be empty");
        }
        if (v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("`" + field + "` must be at most " + MAX_LENGTH
                    + " characters, got " + v.length() + " (\"" + value + "\")");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("`" + field + "` may hold only A-Z and 0-9, got '"
                        + c + "' at position " + i + " in \"" + value + "\"");
            }
        }
        return v;
    }

    @Override
    public int compareTo(PnetId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
