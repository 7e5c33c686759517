package io.smcvertx.handlers;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The context a handler gets with each connection: its addresses and, when it runs on an SMC
 * listener of smc-vertx, what SMC made of it (the kernel's word: mode, fallback reason, peer
 * diagnosis, as every layer of the project reports it).
 *
 * @param localAddress this side's address
 * @param remoteAddress the peer's address
 * @param smc the SMC info of an SMC socket ({@link ConnectionMode#SMCD}, {@link ConnectionMode#SMCR}
 *     or {@link ConnectionMode#FALLBACK_TCP}), filled by smc-vertx; empty on plain TCP listeners
 *     and in unit tests
 */
public record ConnectionInfo(SocketAddress localAddress, SocketAddress remoteAddress, Optional<SmcConnectionInfo> smc) {

    /** Validates the fields. */
    public ConnectionInfo {
        Objects.requireNonNull(localAddress, "`localAddress` must not be `null`");
        Objects.requireNonNull(remoteAddress, "`remoteAddress` must not be `null`");
        Objects.requireNonNull(smc, "`smc` must not be `null`");
    }

    /** The addresses of {@code socket}, without SMC info. */
    public static ConnectionInfo of(NetSocket socket) {
        return new ConnectionInfo(socket.localAddress(), socket.remoteAddress(), Optional.empty());
    }

    /** The addresses of {@code socket} with the given SMC info. */
    public static ConnectionInfo of(NetSocket socket, SmcConnectionInfo smc) {
        return new ConnectionInfo(socket.localAddress(), socket.remoteAddress(), Optional.of(smc));
    }

    /** A placeholder for tests and harnesses: 127.0.0.1 ports 0 and 1, no SMC info. */
    public static ConnectionInfo loopback() {
        return new ConnectionInfo(
                SocketAddress.inetSocketAddress(0, "127.0.0.1"),
                SocketAddress.inetSocketAddress(1, "127.0.0.1"),
                Optional.empty());
    }

    /** This info with the given SMC info. */
    public ConnectionInfo withSmc(SmcConnectionInfo info) {
        return new ConnectionInfo(localAddress, remoteAddress, Optional.of(info));
    }

    /**
     * This info with SMC info of {@code mode} and no fallback reason, as an accepted connection
     * (for tests and harnesses: {@code ConnectionInfo.loopback().withSmc(ConnectionMode.SMCD)}).
     */
    public ConnectionInfo withSmc(ConnectionMode mode) {
        return withSmc(SmcConnectionInfo.of(mode, "", text(localAddress), text(remoteAddress), SmcConnectionInfo.Side.SERVER));
    }

    private static String text(SocketAddress a) {
        return a.hostAddress() == null ? String.valueOf(a) : a.hostAddress() + ":" + a.port();
    }
}
