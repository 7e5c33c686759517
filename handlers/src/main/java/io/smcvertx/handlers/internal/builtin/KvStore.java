package io.smcvertx.handlers.internal.builtin;

import io.smallrye.mutiny.Uni;
import io.smcvertx.handlers.ConnectionInfo;
import io.smcvertx.handlers.Frame;
import io.smcvertx.handlers.RequestHandler;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code kv} protocol: one command per line, one reply line per command.
 *
 * <pre>
 * SET key value...   -> OK              (value is the rest of the line, spaces included)
 * GET key            -> VALUE value | NOT_FOUND
 * DEL key            -> DELETED | NOT_FOUND
 * anything else      -> ERROR reason   (the connection stays open)
 * </pre>
 */
final class KvStore implements RequestHandler {

    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
    private final int maxKeys;

    KvStore(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    @Override
    public Uni<Frame> handle(ConnectionInfo connection, Frame request) {
        return Uni.createFrom().item(() -> Frame.ofUtf8(execute(request.toUtf8())));
    }

    private String execute(String line) {
        int sp = line.indexOf(' ');
        String command = sp < 0 ? line : line.substring(0, sp);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        return switch (command) {
            case "SET" -> {
                int sp2 = rest.indexOf(' ');
                if (sp2 <= 0) {
                    yield "ERROR usage: SET key value";
                }
                String key = rest.substring(0, sp2);
                if (!map.containsKey(key) && map.size() >= maxKeys) {
                    yield "ERROR store full (`maxKeys` " + maxKeys + ")";
                }
                map.put(key, rest.substring(sp2 + 1));
                yield "OK";
            }
            case "GET" -> {
                if (!isKey(rest)) {
                    yield "ERROR usage: GET key";
                }
                String v = map.get(rest);
                yield v == null ? "NOT_FOUND" : "VALUE " + v;
            }
            case "DEL" -> {
                if (!isKey(rest)) {
                    yield "ERROR usage: DEL key";
                }
                yield map.remove(rest) == null ? "NOT_FOUND" : "DELETED";
            }
            default -> "ERROR unknown command: " + (command.length() > 16 ? command.substring(0, 16) + "..." : command);
        };
    }

    private static boolean isKey(String s) {
        return !s.isEmpty() && s.indexOf(' ') < 0;
    }
}
