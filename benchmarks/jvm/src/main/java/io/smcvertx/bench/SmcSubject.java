package io.smcvertx.bench;

import io.smcvertx.vertx.SmcTransport;

/** Where the benchmarks meet the node's transport: {@link SmcTransport} with its default policy. */
final class SmcSubject {
    private SmcSubject() {}

    static SmcTransport transport() {
        SmcTransport transport = SmcTransport.create();
        // on a host kernel without SMC this is the transport's TCP path: say so in the server log
        System.out.println("SmcTransport: smcAvailable=" + transport.smcAvailable()
                + transport.smcUnavailabilityCause().map(c -> " cause=" + c).orElse(""));
        return transport;
    }
}
