package io.smcvertx.transport.doctor;

import java.util.Optional;

/**
 * A value read from the host, or why it could not be read. The doctor reports unreadable
 * inputs as findings instead of failing as a whole.
 */
record Probe<T>(Optional<T> value, String error, int errno) {

    interface Reader<T> {
        T read() throws Exception;
    }

    static <T> Probe<T> of(T value) {
        return new Probe<>(Optional.of(value), "", 0);
    }

    static <T> Probe<T> failed(String error) {
        return new Probe<>(Optional.empty(), error, 0);
    }

    static <T> Probe<T> read(Reader<T> reader) {
        try {
            return of(reader.read());
        } catch (io.smcvertx.transport.SmcNativeException e) {
            return new Probe<>(Optional.empty(), e.getMessage(), e.errno());
        } catch (Exception | LinkageError e) {
            return failed(e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    boolean ok() {
        return value.isPresent();
    }

    T get() {
        return value.orElseThrow();
    }
}
