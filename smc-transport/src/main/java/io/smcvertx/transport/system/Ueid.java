package io.smcvertx.transport.system;

import java.util.Locale;
import java.util.Objects;

/**
 * A user-defined Enterprise ID. SMC-Rv2 needs one in common between the peers; SMC-Dv2 needs
 * a common one or a matching SEID, and the SEID exists only on IBM Z, so loopback-ISM on other
 * hosts needs a UEID. Rules (smcd-ueid.8, smc_clc.c): at most 32 characters of A-Z, 0-9, '-'
 * and '.', the first alphanumeric, no two dots in a row. Lower case is upper-cased as
 * {@code smcd ueid add} does. A host holds at most {@link #MAX_PER_HOST}.
 */
public record Ueid(String value) implements Comparable<Ueid> {

    public static final int MAX_LENGTH = 32;
    public static final int MAX_PER_HOST = 4;

    public Ueid {
        Objects.requireNonNull(value, "`ueid` must not be `null`");
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("`ueid` must not be empty");
        }
        if (v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("`ueid` must be at most " + MAX_LENGTH + " characters, got "
                    + v.length() + " (\"" + value + "\")");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (i == 0 && !alnum) {
                throw new IllegalArgumentException("`ueid` must start with A-Z or 0-9, got '" + c + "' in \"" + value + "\"");
            }
            if (!alnum && c != '-' && c != '.') {
                throw new IllegalArgumentException("`ueid` may hold only A-Z, 0-9, '-' and '.', got '" + c
                        + "' at position " + i + " in \"" + value + "\"");
            }
            if (c == '.' && v.charAt(i - 1) == '.') {
                throw new IllegalArgumentException("`ueid` must not have two dots in a row (position " + i
                        + " in \"" + value + "\")");
            }
        }
        value = v;
    }

    public static Ueid of(String value) {
        return new Ueid(value);
    }

    @Override
    public int compareTo(Ueid o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
