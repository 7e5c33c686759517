package io.smcvertx.handlers.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandler;
import io.smcvertx.handlers.ProtocolHandlers;
import io.smcvertx.handlers.testing.HandlerHarness;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReverseHandlerDiscoveryTest {

    @Test
    void foundByNameOnTheClassPathNextToTheBuiltIns() {
        ProtocolHandlers handlers = ProtocolHandlers.load();
        assertThat(handlers.tcpNames()).contains("reverse", "echo", "kv", "relay");
        ProtocolHandler reverse = handlers.create(HandlerConfig.of("reverse"));
        HandlerHarness h = HandlerHarness.of(reverse);
        h.pushUtf8("abc\nsm", "c\n").complete();
        assertThat(h.utf8Out()).isEqualTo("cba\ncms\n");
        h.output().assertCompleted();
    }

    @Test
    void foundByNameOnTheModulePathThroughModuleInfoProvides() {
        // a module layer built from this module and its dependencies: here only `provides` in
        // module-info registers the factory (META-INF/services is ignored for named modules)
        Path[] paths = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of)
                .filter(p -> !p.toString().contains("test-classes") && !p.toString().endsWith("-tests.jar"))
                .filter(p -> Files.exists(p))
                .filter(p -> { // only what the example module needs: keep test frameworks out of the layer
                    // (matched on the jar or module directory, not the whole path: a checkout under a
                    // directory named e.g. "netty" must not decide what the layer holds)
                    String n = moduleName(p);
                    // (handlers/target/classes or, as an artifact, smc-handlers-<version>.jar)
                    return n.startsWith("handlers") || n.startsWith("smc-handlers") || n.startsWith("smc-transport") || n.contains("smallrye")
                            || n.contains("mutiny") || n.contains("vertx") || n.contains("netty") || n.contains("jackson")
                            || n.contains("jctools");
                })
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(paths);
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("io.smcvertx.handlers.example"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertThat(layer.findModule("io.smcvertx.handlers.example")).isPresent();
        // the registry class of the layer (not the class-path copy) must be the one that loads
        Class<?> registry;
        try {
            registry = layer.findLoader("io.smcvertx.handlers").loadClass("io.smcvertx.handlers.ProtocolHandlers");
            Object handlers = registry.getMethod("load", ModuleLayer.class).invoke(null, layer);
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) registry.getMethod("tcpNames").invoke(handlers);
            assertThat(names).contains("reverse", "echo", "kv", "relay");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The jar's file name, or for a reactor module's target/classes its module directory's name. */
    private static String moduleName(Path p) {
        return p.endsWith(Path.of("target", "classes")) ? p.getParent().getParent().getFileName().toString()
                : p.getFileName().toString();
    }
}
