package io.smcvertx.handlers;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of one handler: the listener's {@code handler} JSON object, plus the Vert.x
 * instance of the node for handlers that open connections or serve files.
 *
 * <p>JSON shape: {@code {"name": "relay", "host": "10.0.0.2", "port": 9000}}: {@code name}
 * selects the factory, every other key is the factory's own option.
 */
public final class HandlerConfig {

    /** The key that names the handler. */
    public static final String NAME_KEY = "name";

    private final String name;
    private final JsonObject options;
    private final Vertx vertx;

    private HandlerConfig(String name, JsonObject options, Vertx vertx) {
        this.name = name;
        this.options = options;
        this.vertx = vertx;
    }

    /**
     * Reads a listener's {@code handler} object.
     *
     * @param json the object, with at least a non-blank {@code name}
     * @param vertx the node's Vert.x, or {@code null} (unit tests of handlers that need none)
     * @throws IllegalArgumentException if {@code name} is missing or not a string
     */
    public static HandlerConfig fromJson(JsonObject json, Vertx vertx) {
        Objects.requireNonNull(json, "`json` must not be `null`");
        Object name = json.getValue(NAME_KEY);
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("`handler.name` must be a non-blank string, got: " + name);
        }
        return new HandlerConfig(s, json.copy(), vertx);
    }

    /** A configuration with just a name and no Vert.x. */
    public static HandlerConfig of(String name) {
        return fromJson(new JsonObject().put(NAME_KEY, name), null);
    }

    /** The handler's name. */
    public String name() {
        return name;
    }

    /** A copy of the whole JSON object, {@code name} included. */
    public JsonObject options() {
        return options.copy();
    }

    /** The node's Vert.x, when there is one. */
    public Optional<Vertx> vertx() {
        return Optional.ofNullable(vertx);
    }

    /** The node's Vert.x, for handlers that cannot work without it. */
    public Vertx requireVertx() {
        if (vertx == null) {
            throw new IllegalArgumentException("handler `" + name + "` needs a Vert.x instance in its HandlerConfig");
        }
        return vertx;
    }

    /** A string option, or {@code defaultValue} when absent. */
    public String getString(String key, String defaultValue) {
        Object v = options.getValue(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(field(key) + " must be a string, got: " + v);
    }

    /** A required string option. */
    public String requireString(String key) {
        String v = getString(key, null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field(key) + " must be set");
        }
        return v;
    }

    /** An integer option within {@code [min, max]}, or {@code defaultValue} when absent. */
    public int getInt(String key, int defaultValue, int min, int max) {
        Object v = options.getValue(key);
        int value;
        if (v == null) {
            value = defaultValue;
        } else if (v instanceof Number n && n.doubleValue() == n.longValue()
                && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
            value = n.intValue();
        } else {
            throw new IllegalArgumentException(field(key) + " must be an integer, got: " + v);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(field(key) + " must be between " + min + " and " + max + ", got: " + value);
        }
        return value;
    }

    /** A required integer option within {@code [min, max]}. */
    public int requireInt(String key, int min, int max) {
        if (options.getValue(key) == null) {
            throw new IllegalArgumentException(field(key) + " must be set");
        }
        return getInt(key, 0, min, max);
    }

    private String field(String key) {
        return "`handler." + key + "` (handler `" + name + "`)";
    }

    @Override
    public String toString() {
        return "HandlerConfig" + options.encode();
    }
}
