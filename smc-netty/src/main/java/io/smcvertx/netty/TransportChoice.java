package io.smcvertx.netty;

import io.netty.channel.epoll.Epoll;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which Netty transport SMC channels use here, and why: native epoll where Netty ships it
 * (x86_64, aarch64, riscv64), JDK NIO elsewhere (s390x), or what {@value #PROPERTY} forces.
 * Deciding never throws; the decision is logged once per distinct outcome.
 *
 * @param transport the transport chosen
 * @param reason one line a person can act on, e.g. "NIO: Netty native epoll unavailable here (...)"
 */
record TransportChoice(SmcChannels.Transport transport, String reason) {

    /** System property that forces a transport: {@code epoll} or {@code nio}. */
    static final String PROPERTY = "io.smcvertx.netty.transport";

    private static final System.Logger LOG = System.getLogger("io.smcvertx.netty");
    private static final AtomicReference<TransportChoice> LOGGED = new AtomicReference<>();

    /** The choice for this JVM now (the property is read each time, so tests can force one). */
    static TransportChoice decide() {
        return decide(System.getProperty(PROPERTY), epollUnavailability());
    }

    /** The choice for a property value (null: unset) and epoll's unavailability cause (null: available). */
    static TransportChoice decide(String forced, Throwable epollCause) {
        TransportChoice choice;
        String value = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (value.equals("nio")) {
            choice = new TransportChoice(SmcChannels.Transport.NIO, "NIO: forced by -D" + PROPERTY + "=nio");
        } else if (value.equals("epoll")) {
            choice = epollCause == null
                    ? new TransportChoice(SmcChannels.Transport.EPOLL, "epoll: forced by -D" + PROPERTY + "=epoll")
                    : new TransportChoice(SmcChannels.Transport.NIO, "NIO: -D" + PROPERTY + "=epoll asked for Netty native epoll, "
                            + "which is unavailable here (" + describe(epollCause) + ")");
        } else {
            String ignored = value.isEmpty() ? "" : "; ignored -D" + PROPERTY + "=" + forced + " (must be epoll or nio)";
            choice = epollCause == null
                    ? new TransportChoice(SmcChannels.Transport.EPOLL, "epoll: Netty native epoll is available" + ignored)
                    : new TransportChoice(SmcChannels.Transport.NIO, "NIO: Netty native epoll unavailable here ("
                            + describe(epollCause) + ")" + ignored);
        }
        return choice;
    }

    /** Logs the choice unless this very choice was the last one logged. */
    TransportChoice logOnce() {
        TransportChoice before = LOGGED.getAndSet(this);
        if (!this.equals(before)) {
            LOG.log(Level.INFO, "SMC channels over " + reason);
        }
        return this;
    }

    /** Why Netty's native epoll cannot be used, or null when it can; never throws. */
    static Throwable epollUnavailability() {
        try {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            // netty-transport-classes-epoll itself is missing from the class path
            return e;
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no cause given";
        }
        String s = t.toString();
        Throwable c = t.getCause();
        return c != null && c != t ? s + "; caused by " + c : s;
    }
}
