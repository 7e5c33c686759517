package io.smcvertx.netty;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;

/**
 * The descriptor number of a JDK NIO channel. The JDK has no public way to get it: its channels
 * implement {@code sun.nio.ch.SelChImpl.getFDVal()}, reachable only when {@code java.base}
 * exports or opens {@code sun.nio.ch} to this module ({@code --add-opens
 * java.base/sun.nio.ch=io.smcvertx.netty}, or {@code =ALL-UNNAMED} on the class path).
 * Without it, NIO channels cannot be SMC, and {@link #unavailabilityCause()} says so.
 */
final class JdkDescriptors {

    private static final Method GET_FD_VAL;
    private static final Throwable UNAVAILABLE;

    static {
        Method m = null;
        Throwable cause = null;
        try {
            m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            if (!JdkDescriptors.class.getModule().canRead(m.getDeclaringClass().getModule())
                    || !m.getDeclaringClass().getModule().isExported("sun.nio.ch", JdkDescriptors.class.getModule())) {
                throw new IllegalAccessException("java.base does not export sun.nio.ch to " + JdkDescriptors.class.getModule());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            m = null;
            cause = new UnsupportedOperationException("SMC over JDK NIO needs the descriptor of NIO channels, which the JDK "
                    + "keeps in sun.nio.ch: run with --add-opens java.base/sun.nio.ch=io.smcvertx.netty (module path) "
                    + "or --add-opens java.base/sun.nio.ch=ALL-UNNAMED (class path); " + e, e);
        }
        GET_FD_VAL = m;
        UNAVAILABLE = cause;
    }

    private JdkDescriptors() {
    }

    /** Why NIO descriptors are out of reach, or null. */
    static Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    static int fd(Channel channel) {
        if (GET_FD_VAL == null) {
            throw new UnsupportedOperationException(UNAVAILABLE.getMessage(), UNAVAILABLE);
        }
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (IllegalAccessException e) {
            throw new UnsupportedOperationException(UNAVAILABLE == null ? e.toString() : UNAVAILABLE.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("getFDVal failed", e.getCause());
        }
    }
}
