package io.smcvertx.cluster;

import java.util.Objects;

/**
 * One thing wrong with a configuration.
 *
 * @param field   path of the offending field as the operator wrote it, e.g. {@code pnet[2].ethName};
 *                {@code $} for the document itself
 * @param message what is wrong, without the field name
 */
public record FieldError(String field, String message) {

    public FieldError {
        Objects.requireNonNull(field, "`field` must not be `null`");
        Objects.requireNonNull(message, "`message` must not be `null`");
    }

    @Override
    public String toString() {
        return "`" + field + "` " + message;
    }
}
