package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.internal.JsonFields.error;
import static io.smcvertx.vertx.internal.JsonFields.object;
import static io.smcvertx.vertx.internal.JsonFields.string;

import io.smcvertx.vertx.SmcServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read the node's admin endpoint. On a loopback address, anyone on this machine (unless
 * a token is set); on any other address only a client that presents the bearer token
 * ({@code admin.tokenFile}): a config that binds the endpoint beyond loopback without one is
 * refused, so the endpoint never serves the network unauthenticated. {@code admin.tls} puts it
 * behind TLS, so the token does not cross the network in clear text.
 *
 * @param token        the bearer token every request must carry, if any
 * @param tls          TLS for the endpoint, if any
 * @param beyondLoopback whether the endpoint binds an address other hosts can reach
 */
public record AdminAccess(Optional<Token> token, Optional<SmcServerOptions.Tls> tls, boolean beyondLoopback) {

    /** Fewer characters than this make a token that can be guessed. */
    static final int MIN_TOKEN_LENGTH = 16;

    /**
     * A bearer token read from a file. It never appears in {@code toString} (configs get logged);
     * it is compared in constant time.
     */
    public static final class Token {
        private final byte[] value;
        private final Path file;

        private Token(byte[] value, Path file) {
            this.value = value;
            this.file = file;
        }

        /** Whether an {@code Authorization} header value carries this token. */
        public boolean admits(String authorization) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return false;
            }
            byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, value);
        }

        /** The file it came from. */
        public Path file() {
            return file;
        }

        @Override
        public String toString() {
            return "Token[from " + file + "]";
        }
    }

    /** Reads {@code admin.tokenFile} and {@code admin.tls}; {@code host} is the parsed {@code admin.host}. */
    static AdminAccess fromJson(JsonObject admin, InetAddress host) {
        boolean beyond = !host.isLoopbackAddress();
        Optional<Token> token = Optional.empty();
        if (admin.getValue("tokenFile") != null) {
            token = Optional.of(readToken(Path.of(string(admin, "admin", "tokenFile", null))));
        } else if (beyond) {
            throw error("admin.tokenFile", "must be set: `admin.host` " + host.getHostAddress()
                    + " is beyond loopback, and the admin endpoint serves nothing there without a bearer token "
                    + "(write one to a file: head -c 32 /dev/urandom | base64 > admin.token)");
        }
        JsonObject t = object(admin, "admin", "tls", false);
        Optional<SmcServerOptions.Tls> tls = t == null ? Optional.empty() : Optional.of(SmcServerOptions.Tls.fromJson(t, "admin.tls"));
        return new AdminAccess(token, tls, beyond);
    }

    private static Token readToken(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw error("admin.tokenFile", "cannot be read: " + e);
        }
        if (text.length() < MIN_TOKEN_LENGTH || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw error("admin.tokenFile", "must hold one token of at least " + MIN_TOKEN_LENGTH
                    + " printable characters without spaces (" + file + " holds " + text.length() + " characters)");
        }
        return new Token(text.getBytes(StandardCharsets.UTF_8), file);
    }

    /** For the start message: how a client gets in. */
    String describe() {
        if (token.isEmpty()) {
            return "no authentication (loopback only: anyone on this machine can read it)";
        }
        return "requires a bearer token (Authorization: Bearer <token from " + token.get().file() + ">)"
                + (tls.isPresent() ? " over TLS" : beyondLoopback
                        ? "; WARNING: without `admin.tls` the token crosses the network in clear text" : "");
    }
}
