package io.smcvertx.vertx.node;

import static io.smcvertx.vertx.internal.JsonFields.array;
import static io.smcvertx.vertx.internal.JsonFields.bool;
import static io.smcvertx.vertx.internal.JsonFields.element;
import static io.smcvertx.vertx.internal.JsonFields.enumValue;
import static io.smcvertx.vertx.internal.JsonFields.error;
import static io.smcvertx.vertx.internal.JsonFields.integer;
import static io.smcvertx.vertx.internal.JsonFields.object;
import static io.smcvertx.vertx.internal.JsonFields.onlyKnown;
import static io.smcvertx.vertx.internal.JsonFields.path;
import static io.smcvertx.vertx.internal.JsonFields.string;

import io.smcvertx.netty.Addresses;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx.SmcServerOptions;
import io.smcvertx.vertx.internal.HandlerBinder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's whole config file, read and checked as a whole before anything starts: every error
 * names its field ("`listeners[1].port` must be between 1 and 65535"), and two things on one
 * port are refused.
 *
 * @param policy the transport policy: the {@code smc} section plus each listener's {@code smc} rule
 * @param adminHost the admin endpoint's address
 * @param adminPort the admin endpoint's port
 * @param hazelcast the embedded member's settings
 * @param listeners the listeners, in file order
 * @param shutdownSeconds the bound on SIGTERM's drain of open connections
 * @param clusterConfig the fleet SMC configuration's store and reconciler (off unless configured)
 * @param adminAccess who may read the admin endpoint (a bearer token is required beyond loopback)
 */
public record NodeOptions(SmcPolicy policy, String adminHost, int adminPort, HazelcastSettings hazelcast,
        List<SmcServerOptions> listeners, int shutdownSeconds, ClusterConfigSettings clusterConfig,
        AdminAccess adminAccess) {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Set<String> FIELDS = Set.of("smc", "admin", "hazelcast", "listeners", "shutdownSeconds",
            "clusterConfig");
    private static final Set<String> SMC_FIELDS = Set.of("mode", "listeners", "destinations");
    private static final Set<String> LISTENER_RULE_FIELDS = Set.of("host", "port", "use");
    private static final Set<String> DEST_RULE_FIELDS = Set.of("cidr", "port", "use");
    private static final Set<String> ADMIN_FIELDS = Set.of("host", "port", "tokenFile", "tls", "smc");
    private static final Set<String> HZ_FIELDS = Set.of("enabled", "mode", "interface", "port", "clusterName", "clustered",
            "eventBusPort", "members", "connectTimeoutSeconds");
    /** Fields that mean something for a member only: a client binds nothing. */
    private static final List<String> MEMBER_ONLY = List.of("interface", "port", "clustered", "eventBusPort");

    /** How the node takes part in Hazelcast (see {@code FleetHazelcast} for when to use which). */
    public enum HazelcastMode {
        /** An embedded member: holds part of the store, joins the cluster. */
        MEMBER,
        /** A Hazelcast client of a few members that hold the store: binds nothing, holds nothing. */
        CLIENT
    }

    /**
     * The node's Hazelcast: an embedded member (and the clustered event bus), both bound to
     * {@code interfaceAddress} (the config's {@code hazelcast.interface}, 127.0.0.1 unless set), so a
     * node is reachable from nowhere else by default; or a client of {@code members}.
     *
     * @param enabled whether to start Hazelcast at all
     * @param mode member or client
     * @param interfaceAddress the one IPv4 address the member and the event bus bind and advertise (member)
     * @param port the member's port on {@code interfaceAddress} (member)
     * @param clusterName Hazelcast's cluster name
     * @param clustered whether Vert.x runs clustered over this member (event bus between nodes; member)
     * @param eventBusPort the clustered event bus port (only with {@code clustered})
     * @param members tcp-ip join members (member) or the members to connect to (client), {@code host:port}
     * @param connectTimeoutSeconds how long a client waits for its first member at start (client)
     */
    public record HazelcastSettings(boolean enabled, HazelcastMode mode, String interfaceAddress, int port,
            String clusterName, boolean clustered, int eventBusPort, List<String> members, int connectTimeoutSeconds) {
        public HazelcastSettings {
            members = List.copyOf(members);
        }

        /** Whether this node embeds a member (and so binds {@link #port()}). */
        public boolean member() {
            return enabled && mode == HazelcastMode.MEMBER;
        }
    }

    public NodeOptions {
        listeners = List.copyOf(listeners);
    }

    /**
     * Reads and checks a config.
     *
     * @param handlers the handler names this build knows, so an unknown one is refused up front
     * @throws IllegalArgumentException naming the first bad field
     */
    public static NodeOptions fromJson(JsonObject json, HandlerBinder handlers) {
        onlyKnown(json, "", FIELDS);
        JsonObject admin = object(json, "", "admin", true);
        onlyKnown(admin, "admin", ADMIN_FIELDS);
        String adminHost = string(admin, "admin", "host", "127.0.0.1");
        java.net.InetAddress adminAddress = Addresses.literal(adminHost, "admin.host");
        int adminPort = integer(admin, "admin", "port", 1, 65535, null);
        AdminAccess access = AdminAccess.fromJson(admin, adminAddress);

        HazelcastSettings hz = hazelcast(object(json, "", "hazelcast", false));
        int shutdown = integer(json, "", "shutdownSeconds", 0, 3600, 15);

        Map<Integer, String> ports = new HashMap<>();
        claim(ports, adminPort, "admin.port");
        if (hz.member()) {
            claim(ports, hz.port(), "hazelcast.port");
            if (hz.clustered()) {
                claim(ports, hz.eventBusPort(), "hazelcast.eventBusPort");
            }
        }

        JsonArray ls = array(json, "", "listeners");
        List<SmcServerOptions> listeners = new ArrayList<>();
        SmcPolicy.Builder policy = SmcPolicy.builder();
        for (int i = 0; i < ls.size(); i++) {
            String p = "listeners[" + i + "]";
            SmcServerOptions o = new SmcServerOptions(element(ls, "listeners", i), p);
            Set<String> known = o.protocol() == SmcServerOptions.Protocol.TCP ? handlers.tcpNames() : handlers.httpNames();
            if (!known.contains(o.handlerName())) {
                throw error(p + ".handler.name", "names no " + o.protocol().name().toLowerCase(java.util.Locale.ROOT)
                        + " handler: \"" + o.handlerName() + "\" (known: " + (known.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(known))) + ")");
            }
            claim(ports, o.port(), p + ".port");
            if (o.smc() != null) {
                policy.listener(o.host(), o.port(), o.smc());
            }
            listeners.add(o);
        }
        // an explicit admin.smc goes ahead of the smc section's rules, like a listener's own smc
        SmcPolicy.Use adminUse = admin.containsKey("smc") ? enumValue(admin, "admin", "smc", SmcPolicy.Use.class, null) : null;
        if (adminUse != null) {
            policy.listener(adminHost, adminPort, adminUse);
        }
        smc(object(json, "", "smc", false), policy);
        if (adminUse == null && policy.build().mode() == SmcMode.REQUIRED) {
            // REQUIRED closes every fallback, and a monitoring client (Prometheus, curl, a load
            // balancer's health check) has no SMC: it would lose the endpoint that reports the node.
            // After the smc section's rules, so one of them that names the admin port still wins.
            policy.listener(adminHost, adminPort, SmcPolicy.Use.TCP);
        }

        // --- clusterConfig: the fleet SMC configuration (ClusterConfigSettings, ClusterConfigService) ---
        ClusterConfigSettings fleet = ClusterConfigSettings.fromJson(object(json, "", "clusterConfig", false));
        if (fleet.enabled() && !hz.enabled()) {
            throw error("clusterConfig.enabled", "needs `hazelcast.enabled` true (the store lives in the node's member)");
        }
        // --- end clusterConfig ---
        return new NodeOptions(policy.build(), adminHost, adminPort, hz, listeners, shutdown, fleet, access);
    }

    private static void claim(Map<Integer, String> ports, int port, String field) {
        String previous = ports.putIfAbsent(port, field);
        if (previous != null) {
            throw error(field, "uses port " + port + ", already used by `" + previous + "`");
        }
    }

    private static HazelcastSettings hazelcast(JsonObject hz) {
        if (hz == null) {
            return new HazelcastSettings(false, HazelcastMode.MEMBER, LOOPBACK, 5701, "smc-vertx", false, 0, List.of(), 0);
        }
        onlyKnown(hz, "hazelcast", HZ_FIELDS);
        boolean enabled = bool(hz, "hazelcast", "enabled", true);
        HazelcastMode mode = enumValue(hz, "hazelcast", "mode", HazelcastMode.class, HazelcastMode.MEMBER);
        if (mode == HazelcastMode.CLIENT) {
            for (String f : MEMBER_ONLY) {
                if (hz.getValue(f) != null) {
                    throw error("hazelcast." + f, "applies to `hazelcast.mode` member only: a client binds nothing"
                            + (f.equals("clustered") ? " (Vert.x's Hazelcast cluster manager needs a member)" : ""));
                }
            }
        } else if (hz.getValue("connectTimeoutSeconds") != null) {
            throw error("hazelcast.connectTimeoutSeconds", "applies to `hazelcast.mode` client only");
        }
        int connectTimeout = integer(hz, "hazelcast", "connectTimeoutSeconds", 1, 3600, 60);
        String iface = hazelcastInterface(string(hz, "hazelcast", "interface", LOOPBACK));
        int port = integer(hz, "hazelcast", "port", 1, 65535, 5701);
        String name = string(hz, "hazelcast", "clusterName", "smc-vertx");
        boolean clustered = bool(hz, "hazelcast", "clustered", false);
        int ebPort = clustered ? integer(hz, "hazelcast", "eventBusPort", 1, 65535, null) : 0;
        if (clustered && !enabled) {
            throw error("hazelcast.clustered", "needs `hazelcast.enabled` true");
        }
        JsonArray ms = array(hz, "hazelcast", "members");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            if (!(ms.getValue(i) instanceof String s) || !s.matches("[0-9a-fA-F:.\\[\\]]+(:[0-9]{1,5})?")) {
                throw error("hazelcast.members[" + i + "]", "must be an IP address with optional :port, got: " + ms.getValue(i));
            }
            members.add(s);
        }
        if (members.isEmpty()) {
            if (mode == HazelcastMode.CLIENT) {
                throw error("hazelcast.members", "must name at least one member to connect to (`hazelcast.mode` client)");
            }
            members.add(iface);
        }
        return new HazelcastSettings(enabled, mode, iface, port, name, clustered, ebPort, members, connectTimeout);
    }

    /**
     * One IPv4 address of this machine: Hazelcast matches interfaces by IPv4 pattern, and a
     * wildcard would be advertised to the other members as the address to reach this one.
     */
    private static String hazelcastInterface(String text) {
        java.net.InetAddress a = Addresses.literal(text, "hazelcast.interface");
        if (!(a instanceof java.net.Inet4Address)) {
            throw error("hazelcast.interface", "must be an IPv4 address (Hazelcast matches interfaces by IPv4), got: " + text);
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw error("hazelcast.interface", "must be one address of this machine, not a wildcard or multicast address, got: " + text);
        }
        return a.getHostAddress();
    }

    private static void smc(JsonObject smc, SmcPolicy.Builder policy) {
        if (smc == null) {
            return;
        }
        onlyKnown(smc, "smc", SMC_FIELDS);
        policy.mode(enumValue(smc, "smc", "mode", SmcMode.class, SmcMode.PREFERRED));
        JsonArray ls = array(smc, "smc", "listeners");
        for (int i = 0; i < ls.size(); i++) {
            String p = "smc.listeners[" + i + "]";
            JsonObject r = element(ls, "smc.listeners", i);
            onlyKnown(r, p, LISTENER_RULE_FIELDS);
            String host = string(r, p, "host", "*");
            if (!host.equals("*")) {
                Addresses.literal(host, path(p, "host"));
            }
            policy.listener(host, integer(r, p, "port", 0, 65535, 0), enumValue(r, p, "use", SmcPolicy.Use.class, null));
        }
        JsonArray ds = array(smc, "smc", "destinations");
        for (int i = 0; i < ds.size(); i++) {
            String p = "smc.destinations[" + i + "]";
            JsonObject r = element(ds, "smc.destinations", i);
            onlyKnown(r, p, DEST_RULE_FIELDS);
            String cidr = string(r, p, "cidr", null);
            int port = integer(r, p, "port", 0, 65535, 0);
            SmcPolicy.Use use = enumValue(r, p, "use", SmcPolicy.Use.class, null);
            try {
                policy.destination(cidr, port, use);
            } catch (IllegalArgumentException e) {
                throw error(path(p, "cidr"), "must be an address block like 10.0.0.0/8, got: " + cidr);
            }
        }
    }
}
