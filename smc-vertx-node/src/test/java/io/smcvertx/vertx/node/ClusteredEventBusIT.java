package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.node.NodeMetricsTest.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.Smc;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcDiag;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes in one JVM form a Hazelcast cluster on 127.0.0.1 (tcp-ip join) and run Vert.x
 * clustered over {@code SmcTransport}: send, request/reply and publish in both directions go over
 * event bus connections that the KERNEL (smc_diag) reports as SMC-D on both ends, while
 * Hazelcast's own member connections are not SMC sockets at all. /metrics shows the bytes under
 * mode SMCD and the kernel's SMC-D counters rising.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusteredEventBusIT {

    /** Big enough to stand out from the event bus's own chatter in the byte counts. */
    private static final int PAYLOAD = 64 * 1024;

    static TwoNodes nodes;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    static void twoNodes() throws Exception {
        Throwable missing = Smc.unavailabilityCause();
        if (missing != null) {
            String why = "needs kernel SMC: " + missing.getMessage();
            if (Boolean.getBoolean("smcvertx.lab")) {
                throw new AssertionError(why, missing);
            }
            Assumptions.abort(why);
        }
        nodes = TwoNodes.start("evbus-it");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.stop();
        }
    }

    @Test
    void eventBusTrafficBetweenTwoNodesRunsOverSmcdByTheKernelsWord() throws Exception {
        nodes.awaitCluster();
        String before = TwoNodes.admin(nodes.a, nodes.adminA, "/metrics");
        nodes.traffic(PAYLOAD);

        // the kernel's word on each end of the two event bus connections (A -> B:ebB and B -> A:ebA)
        List<SmcConnectionInfo> endsA = TwoNodes.eventBusEnds(nodes.a, nodes.ebA, nodes.ebB);
        List<SmcConnectionInfo> endsB = TwoNodes.eventBusEnds(nodes.b, nodes.ebB, nodes.ebA);
        System.out.println("ClusteredEventBusIT: node A event bus ends: " + endsA.stream().map(SmcConnectionInfo::logLine).toList());
        System.out.println("ClusteredEventBusIT: node B event bus ends: " + endsB.stream().map(SmcConnectionInfo::logLine).toList());
        assertThat(endsA).extracting(SmcConnectionInfo::side).contains(Side.CLIENT, Side.SERVER);
        assertThat(endsB).extracting(SmcConnectionInfo::side).contains(Side.CLIENT, Side.SERVER);
        assertThat(endsA).allSatisfy(i -> assertThat(i.mode()).as(i.logLine()).isEqualTo(ConnectionMode.SMCD));
        assertThat(endsB).allSatisfy(i -> assertThat(i.mode()).as(i.logLine()).isEqualTo(ConnectionMode.SMCD));

        // the same from a fresh smc_diag dump; Hazelcast's member sockets are no SMC sockets at all
        Set<Integer> eventBusPorts = Set.of(nodes.ebA, nodes.ebB);
        Set<Integer> hazelcastPorts = Set.of(nodes.hzA, nodes.hzB);
        try (SmcDiag diag = SmcDiag.open(Duration.ofMillis(1), Duration.ofMinutes(2))) {
            List<SmcSocketInfo> all = diag.dump();
            List<SmcSocketInfo> eventBus = all.stream().filter(s -> !s.isListener()
                    && (eventBusPorts.contains(s.local().getPort()) || eventBusPorts.contains(s.peer().getPort()))).toList();
            System.out.println("ClusteredEventBusIT: smc_diag event bus sockets: "
                    + eventBus.stream().map(s -> s.local() + "->" + s.peer() + " " + s.mode()).toList());
            assertThat(eventBus).hasSizeGreaterThanOrEqualTo(4);
            assertThat(eventBus).allSatisfy(s -> assertThat(s.mode()).as(s.local() + "->" + s.peer()).isEqualTo(ConnectionMode.SMCD));
            assertThat(all).noneMatch(s -> hazelcastPorts.contains(s.local().getPort()) || hazelcastPorts.contains(s.peer().getPort()));
        }

        // /metrics: bytes under SMCD on both nodes (Vert.x reports bytes in 4 KiB steps while a connection is open)
        String after = TwoNodes.admin(nodes.a, nodes.adminA, "/metrics");
        String afterB = TwoNodes.admin(nodes.b, nodes.adminB, "/metrics");
        for (String m : List.of(after, afterB)) {
            assertThat(value(m, "smcvertx_connection_bytes{direction=\"written\",mode=\"SMCD\"}")).isGreaterThanOrEqualTo(PAYLOAD - 4096);
            assertThat(value(m, "smcvertx_connection_bytes{direction=\"read\",mode=\"SMCD\"}")).isGreaterThanOrEqualTo(PAYLOAD - 4096);
        }
        // the kernel's own SMC-D counters (network namespace wide): new client connections, both payloads sent
        String tx = "smcvertx_kernel_smc_stat{stat=\"smcd_tx_bytes\"}";
        System.out.println("ClusteredEventBusIT: node A /metrics SMCD bytes written "
                + value(after, "smcvertx_connection_bytes{direction=\"written\",mode=\"SMCD\"}") + " read "
                + value(after, "smcvertx_connection_bytes{direction=\"read\",mode=\"SMCD\"}") + "; kernel smcd_tx_bytes "
                + value(before, tx) + " -> " + value(after, tx) + ", smcd_clnt_v1+v2_succ " + succ(before) + " -> " + succ(after));
        assertThat(value(after, tx) - value(before, tx)).isGreaterThanOrEqualTo(2.0 * PAYLOAD);
        assertThat(succ(after) - succ(before)).isGreaterThanOrEqualTo(2.0);
    }

    private static double succ(String scrape) {
        return value(scrape, "smcvertx_kernel_smc_stat{stat=\"smcd_clnt_v1_succ\"}")
                + value(scrape, "smcvertx_kernel_smc_stat{stat=\"smcd_clnt_v2_succ\"}");
    }
}
