package io.smcvertx.cluster.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How the fleet's Hazelcast is set up, member side and client side, in one place.
 *
 * <p>Two modes. <b>Member</b>: the node embeds a Hazelcast member, holds part of the store and
 * takes part in every membership change; right for a handful of hosts. <b>Client</b>: a few
 * members hold the store and every other node connects to them as a Hazelcast client, which
 * holds no data, does not count as a member and leaves no partitions to migrate when it goes;
 * right for fleets of tens to thousands of hosts. The store, its write-through file and the
 * status map work the same over both ({@link HazelcastClusterConfigStore} takes either).
 */
public final class FleetHazelcast {

    /** How long a client node waits for its first member unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private FleetHazelcast() {
    }

    /**
     * What a member should hold for the store: two backups of the configuration map, so that every
     * member but one may die and the revision is still there.
     */
    public static MapConfig memberMapConfig() {
        return new MapConfig(HazelcastClusterConfigStore.DEFAULT_CONFIG_MAP + "*").setBackupCount(2);
    }

    /**
     * Prepares a member's config for the fleet: the store's map config, and Java deserialization
     * limited to JDK and Hazelcast classes. Hazelcast Community Edition lets anyone who reaches
     * the member port send objects (entry processors, predicates, tasks); without the filter a
     * member would deserialize any class on its class path, the classic gadget-chain opening.
     * Nothing of ours travels as a Java-serialized object (the store holds bytes and strings).
     *
     * @return {@code member}, changed
     */
    public static Config member(Config member) {
        Objects.requireNonNull(member, "`member` must not be `null`");
        member.addMapConfig(memberMapConfig());
        member.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        return member;
    }

    /**
     * A client of the members at {@code members} ({@code host[:port]}): one connection, to one
     * member (below), no phone-home, and reconnecting for ever once it has been connected
     * (a node outlives a restart of every member; the store re-reads the map when it is back).
     * A node's client does little (one entry listener on one key, a read at each resync, a write
     * per status report), so it runs one event thread, one I/O thread each way, a one-thread
     * internal executor and no client metrics, and handles responses on its I/O thread (response
     * thread count 0: Hazelcast's own choice anyway while calls do not overlap, which a node's
     * seldom do, and no response thread to start when they do).
     *
     * <p>It connects to <b>one</b> member ({@link RoutingMode#SINGLE_MEMBER}), not to all of them:
     * that member forwards the few operations whose partition lives elsewhere, and when it goes the
     * client connects to another (reconnect as above). Smart routing would save that one hop but
     * costs, per node, a connection to every member (3,000 sockets on 3 members for 1,000 nodes
     * instead of 1,000) and more connect and connection-event tasks, each of which starts one
     * more thread of the connection manager's pool until it holds 10 (its core size, hard-wired
     * in Hazelcast 5.6; core threads never leave): measured with benchmarks/fleet-scale
     * (jcmd Thread.print), 11 internal threads per client with smart routing, 5 without.
     * Pending invocations are checked every second instead of every 100 ms
     * ({@code hazelcast.client.internal.clean.resources.millis}): a call whose connection died
     * fails over up to a second later, which a node that writes once per revision never notices,
     * while 1,000 clients on one host no longer wake 10,000 times a second for nothing.
     */
    public static ClientConfig clientConfig(String clusterName, List<String> members) {
        Objects.requireNonNull(clusterName, "`clusterName` must not be `null`");
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("`members` must name at least one member address");
        }
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.client.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.client.event.thread.count", "1");
        c.setProperty("hazelcast.client.response.thread.count", "0");
        c.setProperty("hazelcast.client.internal.executor.pool.size", "1");
        c.setProperty("hazelcast.client.io.input.thread.count", "1");
        c.setProperty("hazelcast.client.io.output.thread.count", "1");
        c.setProperty("hazelcast.client.internal.clean.resources.millis", "1000");
        c.getMetricsConfig().setEnabled(false);
        c.getNetworkConfig().setAddresses(List.copyOf(members));
        c.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.SINGLE_MEMBER);
        ClientConnectionStrategyConfig s = c.getConnectionStrategyConfig();
        s.setAsyncStart(true).setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC);
        s.getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1).setMaxBackoffMillis(10_000);
        return c;
    }

    /**
     * Starts a client and waits until it is connected to a member. Blocks: never call it on an
     * event loop.
     *
     * @throws IllegalStateException naming the addresses, when no member answered in time
     */
    public static HazelcastInstance startClient(ClientConfig config, Duration connectTimeout) {
        Objects.requireNonNull(config, "`config` must not be `null`");
        CountDownLatch connected = new CountDownLatch(1);
        config.addListenerConfig(new ListenerConfig((com.hazelcast.core.LifecycleListener) e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                connected.countDown();
            }
        }));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        boolean ok;
        try {
            ok = connected.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            client.shutdown();
            throw new IllegalStateException("no member of cluster `" + config.getClusterName() + "` answered at "
                    + config.getNetworkConfig().getAddresses() + " within " + connectTimeout.toSeconds() + " s");
        }
        return client;
    }
}
