package io.smcvertx.vertx.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.hazelcast.HazelcastClusterConfigStore;

/**
 * The node's Hazelcast member, bound to {@code hazelcast.interface} (127.0.0.1 by default).
 * Hazelcast's member protocol runs on its own java.nio sockets, not on Vert.x's transport, so it
 * stays plain TCP even when the event bus between the nodes runs over SMC.
 */
final class EmbeddedHazelcast {

    private EmbeddedHazelcast() {
    }

    /** The member config: no multicast (it binds UDP on every interface), no auto-detection, no phone home. */
    static Config config(NodeOptions.HazelcastSettings s) {
        Config c = new Config();
        c.setClusterName(s.clusterName());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(s.port()).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface(s.interfaceAddress());
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true);
        s.members().forEach(m -> j.getTcpIpConfig().addMember(m));
        // the node may run the fleet config store on this member (clusterConfig): give it what it expects
        c.addMapConfig(HazelcastClusterConfigStore.memberMapConfig());
        if (s.clustered()) {
            // what vertx-hazelcast's default-cluster.xml and HazelcastClusterManager(instance) expect of a member it did not create
            c.getMemberAttributeConfig().setAttribute("__vertx.nodeId", java.util.UUID.randomUUID().toString());
            c.getMultiMapConfig("__vertx.subs").setBackupCount(1)
                    .setValueCollectionType(com.hazelcast.config.MultiMapConfig.ValueCollectionType.SET);
            c.getMapConfig("__vertx.haInfo").setBackupCount(1);
            c.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
        }
        return c;
    }

    /** Starts a member; blocks for the join (seconds), so never call it on an event loop. */
    static HazelcastInstance start(NodeOptions.HazelcastSettings s) {
        return Hazelcast.newHazelcastInstance(config(s));
    }
}
