package io.smcvertx.vertx.internal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Typed reads of JSON config fields; every error names the field by its full path, e.g.
 * "`listeners[1].port` must be between 1 and 65535".
 */
public final class JsonFields {

    private JsonFields() {
    }

    public static String path(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    public static IllegalArgumentException error(String path, String message) {
        return new IllegalArgumentException("`" + path + "` " + message);
    }

    /** Rejects keys this object does not know, so a typo is an error, not a silent default. */
    public static void onlyKnown(JsonObject json, String parent, Set<String> known) {
        for (String key : json.fieldNames()) {
            if (!known.contains(key)) {
                throw error(path(parent, key), "is not a known field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    public static String string(JsonObject json, String parent, String key, String dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            if (dflt == null) {
                throw error(path(parent, key), "must be set");
            }
            return dflt;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw error(path(parent, key), "must be a non-blank string, got: " + v);
        }
        return s;
    }

    public static int integer(JsonObject json, String parent, String key, int min, int max, Integer dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            if (dflt == null) {
                throw error(path(parent, key), "must be set");
            }
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw error(path(parent, key), "must be an integer, got: " + v);
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw error(path(parent, key), "must be between " + min + " and " + max + ", got: " + v);
        }
        return (int) l;
    }

    public static boolean bool(JsonObject json, String parent, String key, boolean dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw error(path(parent, key), "must be true or false, got: " + v);
        }
        return b;
    }

    public static JsonObject object(JsonObject json, String parent, String key, boolean required) {
        Object v = json.getValue(key);
        if (v == null) {
            if (required) {
                throw error(path(parent, key), "must be set");
            }
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw error(path(parent, key), "must be an object, got: " + v);
        }
        return o;
    }

    public static JsonArray array(JsonObject json, String parent, String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonArray();
        }
        if (!(v instanceof JsonArray a)) {
            throw error(path(parent, key), "must be an array, got: " + v);
        }
        return a;
    }

    public static JsonObject element(JsonArray array, String parent, int i) {
        Object v = array.getValue(i);
        if (!(v instanceof JsonObject o)) {
            throw error(parent + "[" + i + "]", "must be an object, got: " + v);
        }
        return o;
    }

    public static <E extends Enum<E>> E enumValue(JsonObject json, String parent, String key, Class<E> type, E dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            if (dflt == null) {
                throw error(path(parent, key), "must be set");
            }
            return dflt;
        }
        if (v instanceof String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append('"').append(e.name().toLowerCase(java.util.Locale.ROOT)).append('"');
        }
        throw error(path(parent, key), "must be one of " + names + ", got: " + v);
    }
}
