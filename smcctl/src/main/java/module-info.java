module io.smcvertx.cli {
    requires io.smcvertx.transport;
    requires io.smcvertx.cluster;
    requires info.picocli;
    // picocli fills the cluster subcommands' fields reflectively
    opens io.smcvertx.cli.cluster to info.picocli;
}
