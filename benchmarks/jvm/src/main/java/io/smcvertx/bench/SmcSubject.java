package io.smcvertx.bench;

import io.vertx.core.transport.Transport;

/** Where the benchmarks meet the code under test; each method fails loudly until its subject is on main. */
final class SmcSubject {
    private SmcSubject() {}

    static Transport transport() {
        throw new UnsupportedOperationException("subject not landed: io.smcvertx.vertx.SmcTransport is not on main yet");
    }
}
