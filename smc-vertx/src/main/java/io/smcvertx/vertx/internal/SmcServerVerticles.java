package io.smcvertx.vertx.internal;

import io.smcvertx.vertx.SmcServerVerticle;
import java.util.function.Function;

/** Lets the node build verticles with its handler binder (the public constructor uses the default one). */
public final class SmcServerVerticles {

    private static volatile Function<HandlerBinder, SmcServerVerticle> factory;

    private SmcServerVerticles() {
    }

    /** Called once by {@link SmcServerVerticle}'s static initializer. */
    public static void factory(Function<HandlerBinder, SmcServerVerticle> f) {
        factory = f;
    }

    public static SmcServerVerticle create(HandlerBinder binder) {
        if (factory == null) {
            try {
                Class.forName(SmcServerVerticle.class.getName(), true, SmcServerVerticle.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return factory.apply(binder);
    }
}
