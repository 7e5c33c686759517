package io.smcvertx.handlers;

import io.smcvertx.handlers.spi.HttpHandlerFactory;
import io.smcvertx.handlers.spi.ProtocolHandlerFactory;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The handler factories known to a node, by name: the built-in ones ({@code echo}, {@code kv},
 * {@code relay}, {@code http}) and every factory registered through {@link ServiceLoader}.
 *
 * <p>Immutable once built; names are unique across TCP and HTTP factories.
 */
public final class ProtocolHandlers {

    private final Map<String, ProtocolHandlerFactory> tcp;
    private final Map<String, HttpHandlerFactory> http;

    private ProtocolHandlers(Collection<ProtocolHandlerFactory> tcpFactories, Collection<HttpHandlerFactory> httpFactories) {
        Map<String, ProtocolHandlerFactory> t = new TreeMap<>();
        Map<String, HttpHandlerFactory> h = new TreeMap<>();
        Map<String, String> owners = new TreeMap<>();
        for (ProtocolHandlerFactory f : tcpFactories) {
            claim(owners, f.name(), f.getClass().getName());
            t.put(f.name(), f);
        }
        for (HttpHandlerFactory f : httpFactories) {
            claim(owners, f.name(), f.getClass().getName());
            h.put(f.name(), f);
        }
        this.tcp = Map.copyOf(t);
        this.http = Map.copyOf(h);
    }

    private static void claim(Map<String, String> owners, String name, String owner) {
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("handler factory " + owner + " has a blank `name()`");
        }
        String previous = owners.putIfAbsent(name, owner);
        if (previous != null) {
            throw new IllegalStateException("two handler factories are named `" + name + "`: " + previous + " and " + owner);
        }
    }

    /**
     * The factories visible to this module's {@link ServiceLoader} (the module layer of the
     * handlers module, or the class path).
     *
     * @throws IllegalStateException if two factories share a name
     */
    public static ProtocolHandlers load() {
        return new ProtocolHandlers(
                loadAll(ServiceLoader.load(ProtocolHandlerFactory.class)),
                loadAll(ServiceLoader.load(HttpHandlerFactory.class)));
    }

    /** The factories visible to {@code loader} (for plugins in their own class loader). */
    public static ProtocolHandlers load(ClassLoader loader) {
        return new ProtocolHandlers(
                loadAll(ServiceLoader.load(ProtocolHandlerFactory.class, loader)),
                loadAll(ServiceLoader.load(HttpHandlerFactory.class, loader)));
    }

    /** The factories visible in {@code layer} and its parents (for plugins in their own module layer). */
    public static ProtocolHandlers load(ModuleLayer layer) {
        return new ProtocolHandlers(
                loadAll(ServiceLoader.load(layer, ProtocolHandlerFactory.class)),
                loadAll(ServiceLoader.load(layer, HttpHandlerFactory.class)));
    }

    /** Exactly the given factories, with no discovery (tests, embedding). */
    public static ProtocolHandlers of(Collection<? extends ProtocolHandlerFactory> tcpFactories,
            Collection<? extends HttpHandlerFactory> httpFactories) {
        return new ProtocolHandlers(List.copyOf(tcpFactories), List.copyOf(httpFactories));
    }

    private static <T> List<T> loadAll(ServiceLoader<T> loader) {
        List<T> all = new ArrayList<>();
        loader.forEach(all::add);
        return all;
    }

    /** Names of the TCP handlers ({@link ProtocolHandlerFactory}), sorted. */
    public Set<String> tcpNames() {
        return new TreeSet<>(tcp.keySet());
    }

    /** Names of the HTTP handlers ({@link HttpHandlerFactory}), sorted. */
    public Set<String> httpNames() {
        return new TreeSet<>(http.keySet());
    }

    /**
     * The TCP factory named {@code name}.
     *
     * @throws IllegalArgumentException if there is none, listing the known names
     */
    public ProtocolHandlerFactory factory(String name) {
        Objects.requireNonNull(name, "`name` must not be `null`");
        ProtocolHandlerFactory f = tcp.get(name);
        if (f != null) {
            return f;
        }
        if (http.containsKey(name)) {
            throw new IllegalArgumentException("handler `" + name + "` is an HTTP handler: use it on a listener of type `http`; "
                    + "TCP handlers are: " + String.join(", ", tcpNames()));
        }
        throw new IllegalArgumentException("unknown handler `" + name + "`; known TCP handlers: "
                + String.join(", ", tcpNames()) + "; known HTTP handlers: " + String.join(", ", httpNames()));
    }

    /**
     * The HTTP factory named {@code name}.
     *
     * @throws IllegalArgumentException if there is none, listing the known names
     */
    public HttpHandlerFactory httpFactory(String name) {
        Objects.requireNonNull(name, "`name` must not be `null`");
        HttpHandlerFactory f = http.get(name);
        if (f != null) {
            return f;
        }
        if (tcp.containsKey(name)) {
            throw new IllegalArgumentException("handler `" + name + "` is a TCP handler: use it on a listener of type `tcp`; "
                    + "HTTP handlers are: " + String.join(", ", httpNames()));
        }
        throw new IllegalArgumentException("unknown HTTP handler `" + name + "`; known HTTP handlers: "
                + String.join(", ", httpNames()) + "; known TCP handlers: " + String.join(", ", tcpNames()));
    }

    /** Makes the TCP handler that {@code config} names. */
    public ProtocolHandler create(HandlerConfig config) {
        return factory(config.name()).create(config);
    }

    /** Makes the HTTP router that {@code config} names. */
    public Router createRouter(HandlerConfig config) {
        return httpFactory(config.name()).create(config);
    }
}
