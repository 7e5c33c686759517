package io.smcvertx.transport;

/**
 * How channels get their sockets: whether SMC is required, preferred or off, and which socket
 * call makes an SMC socket. Immutable and checked when built: a rejected config never reaches
 * a channel.
 *
 * <pre>{@code
 * SmcConfig config = SmcConfig.builder().mode(SmcMode.REQUIRED).socketApi(SmcSocketApi.IPPROTO_SMC).build();
 * }</pre>
 *
 * @param mode whether SMC sockets are required, preferred (plain TCP when the kernel has no
 *     SMC, with the reason kept) or disabled; default {@link #DEFAULT_MODE}
 * @param socketApi which socket call makes SMC sockets; default {@link #DEFAULT_SOCKET_API},
 *     resolved against the probe by {@link Smc#resolve(SmcSocketApi)}
 */
public record SmcConfig(SmcMode mode, SmcSocketApi socketApi) {

    public static final SmcMode DEFAULT_MODE = SmcMode.PREFERRED;
    public static final SmcSocketApi DEFAULT_SOCKET_API = SmcSocketApi.AUTO;

    public SmcConfig {
        if (mode == null) {
            throw new IllegalArgumentException("`mode` must not be `null`");
        }
        if (socketApi == null) {
            throw new IllegalArgumentException("`socketApi` must not be `null`");
        }
        if (mode == SmcMode.DISABLED && socketApi != SmcSocketApi.AUTO) {
            throw new IllegalArgumentException("`socketApi` must be AUTO when `mode` is DISABLED (got " + socketApi
                    + "): a disabled config makes no SMC socket, so forcing a socket call is a contradiction");
        }
    }

    /** PREFERRED with the socket call chosen by the probe. */
    public static SmcConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder().mode(mode).socketApi(socketApi);
    }

    /** Collects settings; {@link #build()} validates them all at once. */
    public static final class Builder {
        private SmcMode mode = DEFAULT_MODE;
        private SmcSocketApi socketApi = DEFAULT_SOCKET_API;

        private Builder() {
        }

        public Builder mode(SmcMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder socketApi(SmcSocketApi socketApi) {
            this.socketApi = socketApi;
            return this;
        }

        /** @throws IllegalArgumentException naming the offending field */
        public SmcConfig build() {
            return new SmcConfig(mode, socketApi);
        }
    }
}
