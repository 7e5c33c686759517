package io.smcvertx.bench;

import io.smcvertx.transport.SmcMode;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.vertx.SmcTransport;

/** Where the benchmarks meet the node's transport: {@link SmcTransport} with one of the policies a node can have. */
final class SmcSubject {
    private SmcSubject() {}

    /** The default policy: SMC everywhere. */
    static SmcTransport transport() {
        return announce(SmcTransport.create());
    }

    /** SMC disabled by policy: the transport's TCP path, also on a kernel that has SMC. */
    static SmcTransport disabled() {
        return announce(SmcTransport.create(SmcPolicy.of(SmcMode.DISABLED)));
    }

    /** SMC everywhere except the listeners on {@code ports}, which get plain TCP sockets (a relay's front). */
    static SmcTransport tcpListeners(int... ports) {
        SmcPolicy.Builder policy = SmcPolicy.builder();
        for (int port : ports) {
            policy.listener("127.0.0.1", port, SmcPolicy.Use.TCP);
        }
        return announce(SmcTransport.create(policy.build()));
    }

    private static SmcTransport announce(SmcTransport transport) {
        // on a host kernel without SMC this is the transport's TCP path: say so in the server log
        System.out.println("SmcTransport: smcAvailable=" + transport.smcAvailable() + " policy=" + transport.policy()
                + " netty=" + transport.nettyTransportReason()
                + transport.smcUnavailabilityCause().map(c -> " cause=" + c).orElse(""));
        return transport;
    }
}
