package io.smcvertx.vertx;

import static io.smcvertx.vertx.internal.JsonFields.enumValue;
import static io.smcvertx.vertx.internal.JsonFields.error;
import static io.smcvertx.vertx.internal.JsonFields.integer;
import static io.smcvertx.vertx.internal.JsonFields.object;
import static io.smcvertx.vertx.internal.JsonFields.onlyKnown;
import static io.smcvertx.vertx.internal.JsonFields.path;
import static io.smcvertx.vertx.internal.JsonFields.string;

import io.smcvertx.netty.SmcPolicy;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * One listener, as a {@link SmcServerVerticle}'s JSON {@code config()} describes it:
 *
 * <pre>{@code
 * { "name": "echo", "protocol": "tcp", "host": "127.0.0.1", "port": 7007, "instances": 2,
 *   "handler": { "name": "echo" },
 *   "tls": { "keyStore": "server.p12", "keyStorePassword": "secret", "handshakeTimeoutSeconds": 60 },
 *   "smc": "smc" }
 * }</pre>
 *
 * Read and validated once, from JSON: an error names its field ("`listeners[1].port` must be
 * between 1 and 65535") and nothing is bound. {@code smc} ("smc" or "tcp") is this listener's
 * rule in the transport's {@link SmcPolicy}; the node adds it to the policy it builds ("tcp" makes
 * the listener a plain TCP socket: see {@link SmcPolicy}).
 */
public final class SmcServerOptions {

    /** The listener protocol. */
    public enum Protocol { TCP, HTTP }

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_INSTANCES = 1;
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 0;
    public static final int DEFAULT_DRAIN_SECONDS = 10;

    private static final Set<String> FIELDS = Set.of("name", "protocol", "host", "port", "instances", "handler", "tls", "smc",
            "idleTimeoutSeconds", "drainSeconds");
    private static final Set<String> TLS_FIELDS = Set.of("keyStore", "keyStorePassword", "handshakeTimeoutSeconds");

    private final String name;
    private final Protocol protocol;
    private final String host;
    private final int port;
    private final int instances;
    private final JsonObject handler;
    private final Tls tls;
    private final SmcPolicy.Use smc;
    private final int idleTimeoutSeconds;
    private final int drainSeconds;

    /**
     * TLS with a PKCS#12 key store.
     *
     * @param keyStore path of the PKCS#12 file holding the server key and certificate
     * @param keyStorePassword its password
     * @param handshakeTimeoutSeconds how long a TLS handshake may take (raise it under emulation)
     */
    public record Tls(String keyStore, String keyStorePassword, int handshakeTimeoutSeconds) {
        public Tls {
            Objects.requireNonNull(keyStore, "`keyStore` must not be `null`");
            Objects.requireNonNull(keyStorePassword, "`keyStorePassword` must not be `null`");
        }

        JsonObject toJson() {
            return new JsonObject().put("keyStore", keyStore).put("keyStorePassword", keyStorePassword)
                    .put("handshakeTimeoutSeconds", handshakeTimeoutSeconds);
        }
    }

    /** Reads a verticle config; errors name the field as given. */
    public SmcServerOptions(JsonObject json) {
        this(json, "");
    }

    /**
     * Reads a listener's JSON; errors name the field under {@code path}, e.g. {@code listeners[1]}.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    public SmcServerOptions(JsonObject json, String path) {
        Objects.requireNonNull(json, "`json` must not be `null`");
        onlyKnown(json, path, FIELDS);
        this.protocol = enumValue(json, path, "protocol", Protocol.class, null);
        this.port = integer(json, path, "port", 1, 65535, null);
        this.name = string(json, path, "name", protocol.name().toLowerCase(java.util.Locale.ROOT) + "-" + port);
        this.host = string(json, path, "host", DEFAULT_HOST);
        try {
            io.smcvertx.netty.Addresses.literal(host, path(path, "host"));
        } catch (IllegalArgumentException e) {
            throw error(path(path, "host"), "must be an IP address literal, got: " + host);
        }
        this.instances = integer(json, path, "instances", 1, 1024, DEFAULT_INSTANCES);
        this.idleTimeoutSeconds = integer(json, path, "idleTimeoutSeconds", 0, 86_400, DEFAULT_IDLE_TIMEOUT_SECONDS);
        this.drainSeconds = integer(json, path, "drainSeconds", 0, 3600, DEFAULT_DRAIN_SECONDS);
        JsonObject h = object(json, path, "handler", true);
        string(h, path(path, "handler"), "name", null);
        this.handler = h.copy();
        JsonObject t = object(json, path, "tls", false);
        if (t == null) {
            this.tls = null;
        } else {
            String tp = path(path, "tls");
            onlyKnown(t, tp, TLS_FIELDS);
            String ks = string(t, tp, "keyStore", null);
            String pw = t.getValue("keyStorePassword") instanceof String s ? s : null;
            if (pw == null) {
                throw error(path(tp, "keyStorePassword"), "must be a string");
            }
            this.tls = new Tls(ks, pw, integer(t, tp, "handshakeTimeoutSeconds", 1, 3600, DEFAULT_HANDSHAKE_TIMEOUT_SECONDS));
        }
        this.smc = json.getValue("smc") == null ? null : enumValue(json, path, "smc", SmcPolicy.Use.class, null);
    }

    /** The name given in the config, or {@code <protocol>-<port>}. */
    public String name() {
        return name;
    }

    public Protocol protocol() {
        return protocol;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** How many verticle instances share the port. */
    public int instances() {
        return instances;
    }

    /** The protocol handler's config: {@code name} plus its own options. */
    public JsonObject handler() {
        return handler.copy();
    }

    /** The protocol handler's name. */
    public String handlerName() {
        return handler.getString("name");
    }

    /** TLS settings, or {@code null} for plain text. */
    public Tls tls() {
        return tls;
    }

    /** This listener's SMC rule, or {@code null} to follow the transport's default. */
    public SmcPolicy.Use smc() {
        return smc;
    }

    /** Idle timeout of connections, 0 for none. */
    public int idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** How long undeploy lets open connections finish before closing them. */
    public int drainSeconds() {
        return drainSeconds;
    }

    /** The JSON this was read from, normalized (defaults filled in). */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("name", name)
                .put("protocol", protocol.name().toLowerCase(java.util.Locale.ROOT))
                .put("host", host)
                .put("port", port)
                .put("instances", instances)
                .put("handler", handler.copy())
                .put("idleTimeoutSeconds", idleTimeoutSeconds)
                .put("drainSeconds", drainSeconds);
        if (tls != null) {
            json.put("tls", tls.toJson());
        }
        if (smc != null) {
            json.put("smc", smc.name().toLowerCase(java.util.Locale.ROOT));
        }
        return json;
    }

    @Override
    public String toString() {
        return name + " (" + protocol.name().toLowerCase(java.util.Locale.ROOT) + (tls != null ? "+tls" : "") + " " + host + ":" + port
                + ", handler " + handlerName() + ")";
    }
}
