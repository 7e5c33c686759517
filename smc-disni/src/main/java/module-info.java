/**
 * RDMA readiness per IPv4 address through DiSNI, and a verbs send/receive ping-pong measured
 * beside TCP and SMC-R on the same link. Optional: nothing else in smc-vertx depends on it.
 *
 * <p>DiSNI 2.1's jar has no {@code Automatic-Module-Name}, so on the module path it is the
 * automatic module {@code disni} (named after its file); on the class path (how the project's
 * tests and lab run it) it is part of the unnamed module. {@link io.smcvertx.disni.DisniReadiness}
 * finds out which at run time and names the JVM flags for that case.
 */
module io.smcvertx.disni {
    requires disni;
    // DiSNI logs through slf4j-api; as an automatic module it declares no requires, so this puts slf4j in the graph
    requires org.slf4j;
    requires io.smcvertx.transport;

    exports io.smcvertx.disni;
}
