module io.smcvertx.cli {
    requires io.smcvertx.transport;
    requires io.smcvertx.cluster;
    requires io.smcvertx.bpf;
    requires info.picocli;
    requires java.logging;
    // picocli fills @Option/@Parameters fields reflectively
    opens io.smcvertx.cli to info.picocli;
    opens io.smcvertx.cli.cluster to info.picocli;
}
