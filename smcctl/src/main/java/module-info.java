module io.smcvertx.cli {
    requires io.smcvertx.transport;
    requires io.smcvertx.cluster;
    requires info.picocli;
}
