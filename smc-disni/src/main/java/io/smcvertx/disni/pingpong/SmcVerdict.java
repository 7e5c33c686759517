package io.smcvertx.disni.pingpong;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * The kernel's word on the ping-pong's SMC connection: this host's smc_diag must report it as
 * SMC-R, else the "SMC" figures would be TCP's and the run fails.
 */
final class SmcVerdict {

    private SmcVerdict() {
    }

    /** The client's end: the connection to {@code server}. */
    static String requireClientSmcr(InetSocketAddress server) throws IOException {
        return require("client end to " + server, s -> !s.isListener() && s.peer().equals(server));
    }

    /** The server's end: the accepted connection on {@code port}. */
    static String requireServerSmcr(int port) throws IOException {
        return require("server end on port " + port, s -> !s.isListener() && s.local().getPort() == port);
    }

    private static String require(String which, Predicate<SmcSocketInfo> match) throws IOException {
        try (SmcDiag diag = SmcDiag.open()) {
            for (SmcSocketInfo s : diag.dump()) {
                if (match.test(s)) {
                    if (s.mode() != ConnectionMode.SMCR) {
                        throw new IOException("smc_diag says the SMC " + which + " is " + s.mode() + " (fallback "
                                + s.fallbackReason() + ", peer " + s.peerDiagnosis() + "), not SMCR: its figures would not be SMC-R's");
                    }
                    return "SMCR by smc_diag (" + s.local() + " -> " + s.peer()
                            + s.smcr().map(l -> ", " + l.ibDevice() + " port " + l.ibPort()).orElse("") + ")";
                }
            }
        }
        throw new IOException("smc_diag has no entry for the SMC " + which);
    }
}
