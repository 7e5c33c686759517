package io.smcvertx.cluster.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;

/**
 * Hazelcast set up to stay on 127.0.0.1: multicast off (it would bind UDP on every interface),
 * auto-detection off, TCP/IP join to listed loopback ports, the loopback interface only, no
 * wildcard bind and no phone-home. Tests, the lab and single-host demos use it; a real fleet
 * passes its own {@link Config}.
 */
public final class LoopbackHazelcast {

    /** The first member's port, Hazelcast's default. */
    public static final int DEFAULT_PORT = 5701;
    public static final String LOOPBACK = "127.0.0.1";

    private LoopbackHazelcast() {
    }

    /**
     * A member on {@code 127.0.0.1:port} that joins the members on {@code memberPorts}.
     *
     * @param clusterName keeps separate test clusters on one machine apart
     */
    public static Config memberConfig(String clusterName, int port, List<Integer> memberPorts) {
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("`port` must be between 1 and 65535, got " + port);
        }
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        // every peer is on this host: no reason to wait the default 5 s before joining
        c.setProperty("hazelcast.wait.seconds.before.join", "1");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).setInterfaces(List.of(LOOPBACK));
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
        for (int p : memberPorts) {
            join.getTcpIpConfig().addMember(LOOPBACK + ":" + p);
        }
        return FleetHazelcast.member(c);
    }

    /** A client of the members on {@code 127.0.0.1:port...}, giving up after {@code connectTimeoutMillis}. */
    public static ClientConfig clientConfig(String clusterName, List<String> addresses, long connectTimeoutMillis) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.getNetworkConfig().setAddresses(List.copyOf(addresses));
        c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeoutMillis);
        return c;
    }
}
