package io.smcvertx.disni.pingpong;

/** The three ways the ping-pong moves a message between the same two hosts over the same link. */
enum Transport {
    /** A TCP socket: {@code socket(AF_INET, SOCK_STREAM, 0)}. */
    TCP,
    /** An SMC socket ({@code AF_SMC}); between two RoCE hosts the kernel makes it SMC-R, which the run verifies. */
    SMC,
    /** RC send/receive verbs through DiSNI: the raw-RDMA baseline, no kernel on the data path. */
    VERBS;

    /** Each transport listens on the base port plus its offset, so one base port names all three. */
    int port(int basePort) {
        return basePort + ordinal();
    }
}
