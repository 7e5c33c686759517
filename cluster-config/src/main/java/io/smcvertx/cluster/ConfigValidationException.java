package io.smcvertx.cluster;

import java.util.List;
import java.util.stream.Collectors;

/** A fleet configuration was refused as a whole; every error names its field. */
public class ConfigValidationException extends IllegalArgumentException {

    private final List<FieldError> errors;

    public ConfigValidationException(List<FieldError> errors) {
        super(errors.size() == 1 ? "invalid fleet configuration: " + errors.getFirst()
                : "invalid fleet configuration (" + errors.size() + " errors): "
                        + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("`errors` must not be empty");
        }
        this.errors = List.copyOf(errors);
    }

    /** In document order. */
    public List<FieldError> errors() {
        return errors;
    }
}
