package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.node.NodeMetricsTest.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two clustered nodes on this host's kernel (no SMC): they form one Hazelcast cluster, exchange
 * event bus traffic both ways over plain TCP, and /status and /metrics say so.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusteredNodesTest {

    @Test
    void twoNodesFormAClusterAndTalkOverTheEventBus() throws Exception {
        TwoNodes nodes = TwoNodes.start("evbus-host-test");
        try {
            nodes.awaitCluster();
            nodes.traffic(32 * 1024);
            List<SmcConnectionInfo> endsA = TwoNodes.eventBusEnds(nodes.a, nodes.ebA, nodes.ebB);
            assertThat(endsA).extracting(SmcConnectionInfo::side).contains(Side.CLIENT, Side.SERVER);
            assertThat(endsA).allSatisfy(i -> {
                assertThat(i.mode()).isEqualTo(ConnectionMode.TCP);
                assertThat(i.note()).startsWith("SMC unavailable");
            });
            JsonObject cluster = new JsonObject(TwoNodes.admin(nodes.a, nodes.adminA, "/status")).getJsonObject("cluster");
            assertThat(cluster.getBoolean("clusteredEventBus")).isTrue();
            assertThat(cluster.getJsonArray("members")).hasSize(2);
            assertThat(cluster.getString("interface")).isEqualTo("127.0.0.1");
            String metrics = TwoNodes.admin(nodes.b, nodes.adminB, "/metrics");
            assertThat(value(metrics, "smcvertx_connection_bytes{direction=\"written\",mode=\"TCP\"}")).isGreaterThanOrEqualTo(32 * 1024 - 4096);
            assertThat(value(metrics, "smcvertx_connection_bytes{direction=\"read\",mode=\"TCP\"}")).isGreaterThanOrEqualTo(32 * 1024 - 4096);
            assertThat(value(metrics, "smcvertx_connection_bytes{direction=\"read\",mode=\"SMCD\"}")).isZero();
        } finally {
            nodes.stop();
        }
    }
}
