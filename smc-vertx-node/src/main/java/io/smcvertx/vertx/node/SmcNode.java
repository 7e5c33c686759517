package io.smcvertx.vertx.node;

import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.micrometer.SmcMeterBinder;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.vertx.SmcConnections;
import io.smcvertx.vertx.SmcServerVerticle;
import io.smcvertx.vertx.SmcTransport;
import io.smcvertx.vertx.internal.HandlerBinder;
import io.smcvertx.vertx.internal.Handlers;
import io.smcvertx.vertx.internal.SmcServerVerticles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running node: an embedded Hazelcast member, a Vert.x instance on {@link SmcTransport}, the
 * listeners of its config and the admin endpoint. {@code main} is the jar's entry point.
 */
public final class SmcNode {

    private static final System.Logger LOG = System.getLogger(SmcNode.class.getName());

    /** Exit status of a rejected config. */
    public static final int EXIT_CONFIG = 2;
    /** Exit status of a node that could not start. */
    public static final int EXIT_START = 1;

    private final NodeOptions options;
    private final HazelcastInstance hazelcast;
    private final Vertx vertx;
    private final List<String> listenerDeployments;
    private final ClusterConfigService fleet; // null unless clusterConfig.enabled

    private SmcNode(NodeOptions options, HazelcastInstance hazelcast, Vertx vertx, List<String> listenerDeployments,
            ClusterConfigService fleet) {
        this.options = options;
        this.hazelcast = hazelcast;
        this.vertx = vertx;
        this.listenerDeployments = listenerDeployments;
        this.fleet = fleet;
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Parses arguments, starts the node and installs the SIGTERM drain; returns an exit status (0: running). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        err.println("smc-node: --config needs a file");
                        return EXIT_CONFIG;
                    }
                    config = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    out.println("usage: smc-node --config FILE   (see deploy/examples/node.json)");
                    return 0;
                }
                default -> {
                    err.println("smc-node: unknown argument " + args[i] + " (usage: smc-node --config FILE)");
                    return EXIT_CONFIG;
                }
            }
        }
        if (config == null) {
            err.println("smc-node: --config FILE is required");
            return EXIT_CONFIG;
        }
        NodeOptions options;
        try {
            options = NodeOptions.fromJson(new JsonObject(Files.readString(config)), Handlers.binder());
        } catch (IOException e) {
            err.println("smc-node: cannot read " + config + ": " + e);
            return EXIT_CONFIG;
        } catch (DecodeException e) {
            err.println("smc-node: " + config + " is not JSON: " + e.getMessage());
            return EXIT_CONFIG;
        } catch (IllegalArgumentException e) {
            err.println("smc-node: config error in " + config + ": " + e.getMessage());
            return EXIT_CONFIG;
        }
        SmcNode node;
        try {
            node = start(options, Handlers.binder()).toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException) {
                err.println("smc-node: config error in " + config + ": " + cause.getMessage());
                return EXIT_CONFIG;
            }
            err.println("smc-node: failed to start: " + cause);
            return EXIT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::stopAndWait, "smc-node-shutdown"));
        out.println("smc-vertx node up: admin endpoint " + (options.adminAccess().tls().isPresent() ? "https" : "http")
                + "://" + hostPort(options.adminHost(), options.adminPort()) + "/status (also /connections, /metrics, /fleet)");
        out.println("  admin access: " + options.adminAccess().describe());
        out.println("  admin transport: " + adminTransport(options));
        if (options.hazelcast().enabled()) {
            out.println("  hazelcast: " + options.hazelcast().mode().name().toLowerCase(java.util.Locale.ROOT)
                    + (options.hazelcast().member() ? " on " + options.hazelcast().interfaceAddress() + ":" + options.hazelcast().port()
                            : " of " + options.hazelcast().members()));
        }
        SmcConnections c = SmcConnections.of(node.vertx);
        out.println("  SMC: " + (c.smcAvailable() ? "available" : "unavailable: " + c.smcUnavailabilityCause().orElse("?")));
        out.println("  Netty transport: " + c.nettyTransportReason());
        options.listeners().forEach(l -> out.println("  listener " + l));
        return 0;
    }

    /** How the admin endpoint listens, for the start log: a REQUIRED node keeps it on TCP (NodeOptions). */
    static String adminTransport(NodeOptions options) {
        boolean smc = options.policy().forListener(new java.net.InetSocketAddress(options.adminHost(), options.adminPort()))
                == SmcPolicy.Use.SMC;
        boolean required = options.policy().mode() == SmcMode.REQUIRED;
        if (smc) {
            return required ? "SMC required (admin.smc: smc): clients without SMC, such as Prometheus, are closed"
                    : "SMC offered, clients without SMC fall back to TCP";
        }
        return required ? "plain TCP (smc.mode is required, and monitoring clients have no SMC)" : "plain TCP";
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Starts a node. Blocks the calling thread while the Hazelcast member joins (and, with
     * {@code clusterConfig}, while the config store loads the current revision), so call it from
     * a plain thread (main, a test), never from an event loop.
     */
    public static Future<SmcNode> start(NodeOptions options, HandlerBinder binder) {
        try {
            checkHandlers(options, binder);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        HazelcastInstance hz;
        try {
            hz = options.hazelcast().enabled() ? EmbeddedHazelcast.start(options.hazelcast()) : null;
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        // --- clusterConfig: store + reconciler on this member (blocks like the member's start, never on an event loop) ---
        ClusterConfigService fleet = null;
        if (options.clusterConfig().enabled()) {
            try {
                fleet = ClusterConfigService.start(options.clusterConfig(), hz);
            } catch (RuntimeException e) {
                if (hz != null) {
                    hz.shutdown();
                }
                return Future.failedFuture(e);
            }
        }
        ClusterConfigService fleetService = fleet;
        // --- end clusterConfig ---
        SmcTransport transport = SmcTransport.create(options.policy());
        ConnectionBytes bytes = new ConnectionBytes(transport);
        // the doctor reports under the fleet's host name when there is one, so /status, /metrics and
        // `smcctl cluster doctor` name a host the same way
        OperatorView operator = new OperatorView(options.clusterConfig().enabled() ? options.clusterConfig().host().name()
                : io.smcvertx.transport.doctor.SmcDoctor.localHostName());
        // the binder reads the kernel's counters once: here, on the caller's thread, never an event loop
        NodeMetrics metrics = new NodeMetrics(transport.smc().tracker(), bytes, SmcMeterBinder::kernelCounters,
                fleetService, operator);
        Future<Vertx> vertxFuture;
        if (options.hazelcast().clustered()) {
            VertxOptions vo = new VertxOptions().setEventBusOptions(eventBusOptions(options));
            vertxFuture = Vertx.builder().with(vo).withTransport(transport).withMetrics(bytes.factory())
                    .withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
        } else {
            vertxFuture = Future.succeededFuture(Vertx.builder().withTransport(transport).withMetrics(bytes.factory()).build());
        }
        KernelInfo kernel = KernelInfo.probe();
        return vertxFuture.compose(vertx -> {
            SmcConnections connections = SmcConnections.of(vertx);
            AdminVerticle admin = new AdminVerticle(options, connections, metrics, kernel,
                    () -> clusterJson(options, hz).put("config", fleetService == null
                            ? new JsonObject().put("enabled", false) : fleetService.statusJson()), operator,
                    fleetService == null ? null : fleetService::fleetJson);
            List<String> deployments = new ArrayList<>();
            Future<?> chain = Future.succeededFuture();
            for (var l : options.listeners()) {
                chain = chain.compose(v -> vertx.deployVerticle(() -> SmcServerVerticles.create(binder),
                                new DeploymentOptions().setConfig(l.toJson()).setInstances(l.instances()))
                        .onSuccess(deployments::add));
            }
            return chain.compose(v -> vertx.deployVerticle(admin))
                    .map(v -> new SmcNode(options, hz, vertx, deployments, fleetService))
                    .recover(err -> vertx.close().eventually(() -> {
                        closeQuietly(fleetService);
                        if (hz != null) {
                            hz.shutdown();
                        }
                        return Future.succeededFuture();
                    }).transform(ignored -> Future.failedFuture(err)));
        }, err -> {
            closeQuietly(fleetService);
            if (hz != null) {
                hz.shutdown();
            }
            return Future.failedFuture(err);
        });
    }

    /** The clustered event bus binds and advertises {@code hazelcast.interface}, like the member. */
    static EventBusOptions eventBusOptions(NodeOptions options) {
        return new EventBusOptions().setHost(options.hazelcast().interfaceAddress()).setPort(options.hazelcast().eventBusPort());
    }

    private static void closeQuietly(ClusterConfigService fleet) {
        if (fleet != null) {
            try {
                fleet.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cluster config service did not stop cleanly: " + e);
            }
        }
    }

    /**
     * Builds every listener's handler once on a scratch Vert.x (which binds nothing), so a bad
     * handler option stops the node before any port is bound.
     */
    static void checkHandlers(NodeOptions options, HandlerBinder binder) {
        Vertx scratch = Vertx.vertx();
        try {
            for (int i = 0; i < options.listeners().size(); i++) {
                var l = options.listeners().get(i);
                Handlers.validate(binder, scratch, l.handler(), l.protocol() == io.smcvertx.vertx.SmcServerOptions.Protocol.HTTP,
                        "listeners[" + i + "].handler");
            }
        } finally {
            scratch.close();
        }
    }

    private static JsonObject clusterJson(NodeOptions options, HazelcastInstance hz) {
        if (hz == null) {
            return new JsonObject().put("hazelcast", "disabled");
        }
        JsonArray members = new JsonArray();
        hz.getCluster().getMembers().forEach(m -> members.add(m.getAddress().toString()));
        JsonObject json = new JsonObject()
                .put("hazelcast", hz.getLifecycleService().isRunning() ? "running" : "stopped")
                .put("mode", options.hazelcast().mode().name().toLowerCase(java.util.Locale.ROOT))
                .put("clusterName", options.hazelcast().clusterName());
        if (options.hazelcast().member()) {
            json.put("interface", options.hazelcast().interfaceAddress());
        }
        return json
                .put("clusteredEventBus", options.hazelcast().clustered())
                .put("members", members);
    }

    /** The node's Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    /** The options the node runs with. */
    public NodeOptions options() {
        return options;
    }

    /**
     * Drains and stops: listeners stop accepting and let open connections finish (each for its
     * {@code drainSeconds}), then Vert.x and the Hazelcast member stop.
     */
    public Future<Void> stop() {
        Future<?> undeploy = Future.succeededFuture();
        List<Future<?>> all = new ArrayList<>();
        for (String id : listenerDeployments) {
            all.add(vertx.undeploy(id));
        }
        if (!all.isEmpty()) {
            undeploy = Future.join(all);
        }
        return undeploy.transform(ar -> vertx.close()).eventually(() -> {
            closeQuietly(fleet);
            if (hazelcast != null) {
                hazelcast.shutdown();
            }
            return Future.succeededFuture();
        });
    }

    /** {@link #stop()}, waiting at most {@code shutdownSeconds} plus a little for Hazelcast. */
    void stopAndWait() {
        LOG.log(System.Logger.Level.INFO, "stopping: draining connections for at most " + options.shutdownSeconds() + " s");
        try {
            stop().toCompletionStage().toCompletableFuture().get(options.shutdownSeconds() + 10L, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "shutdown did not finish in time: " + e);
        }
    }
}
