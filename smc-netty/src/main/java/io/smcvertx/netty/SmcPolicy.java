package io.smcvertx.netty;

import io.smcvertx.transport.SmcMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which TCP connections use SMC: a global {@link SmcMode}, then rules per listener (host/port)
 * and per destination (CIDR/port), first match wins, default SMC. {@link SmcNetty} applies it to
 * every channel it makes, for any Netty stack (plain Netty, Vert.x, gRPC, Reactor Netty).
 *
 * <p>A destination rule that says {@link Use#TCP} is applied once, before {@code connect}, by
 * asking the kernel to fall back ({@link SmcChannelOptions#FORCE_TCP_FALLBACK}: it then hands the
 * descriptor to its plain TCP socket, so the data path is TCP's own). {@link SmcMode#REQUIRED} closes connections that a rule wanted on SMC
 * but that the kernel left on TCP.
 *
 * <p>What smc_diag then reports (seen in the lab, Linux 6.12, loopback-ISM; {@code SmcNodeIT}):
 * a client sent to TCP by a destination rule is {@code FALLBACK_TCP 0x03060000} (OPTUNSUPP, the
 * option that forced the fallback), and the SMC listener it reaches, whose SYN came without the
 * SMC option, reports its end as {@code FALLBACK_TCP 0x03010000} (PEERNOSMC).
 *
 * <p>A listener rule that says {@link Use#TCP} gets a plain TCP socket: before {@code bind} the
 * listener's SMC socket is replaced by a TCP one ({@link SmcChannels#replaceWithTcp}, epoll or NIO), so its
 * connections are reported as {@code TCP} with the note "policy: plain TCP" and SMC clients
 * reaching it fall back with 0x03010000. Forcing the SMC listener to fall back instead, as for
 * clients, gave (Linux 6.12, lab) accepted connections that never woke epoll when their data
 * arrived, so every connection hung ({@code ListenerRuleIT} keeps a python3 epoll probe of it).
 * On a kernel without SMC the rule is moot.
 *
 * @param mode global mode; {@link SmcMode#DISABLED} makes no SMC socket at all
 * @param listeners rules matched against a listener's bind address
 * @param destinations rules matched against a client connection's resolved remote address
 */
public record SmcPolicy(SmcMode mode, List<ListenerRule> listeners, List<DestinationRule> destinations) {

    /** The default: SMC everywhere, fall back silently. */
    public static final SmcPolicy DEFAULT = new SmcPolicy(SmcMode.PREFERRED, List.of(), List.of());

    /** What a rule asks for. */
    public enum Use { SMC, TCP }

    public SmcPolicy {
        Objects.requireNonNull(mode, "`mode` must not be `null`");
        listeners = List.copyOf(Objects.requireNonNull(listeners, "`listeners` must not be `null`"));
        destinations = List.copyOf(Objects.requireNonNull(destinations, "`destinations` must not be `null`"));
    }

    /** A policy with only a global mode. */
    public static SmcPolicy of(SmcMode mode) {
        return new SmcPolicy(mode, List.of(), List.of());
    }

    /** Whether any rule can send a connection to plain TCP (no rule: nothing to decide per socket). */
    public boolean hasTcpRules() {
        return listeners.stream().anyMatch(r -> r.use() == Use.TCP)
                || destinations.stream().anyMatch(r -> r.use() == Use.TCP);
    }

    /** The decision for a listener bound to {@code local}. */
    public Use forListener(SocketAddress local) {
        if (mode == SmcMode.DISABLED) {
            return Use.TCP;
        }
        if (local instanceof InetSocketAddress isa) {
            for (ListenerRule rule : listeners) {
                if (rule.matches(isa)) {
                    return rule.use();
                }
            }
        }
        return Use.SMC;
    }

    /** The decision for a client connection to {@code remote}. */
    public Use forDestination(SocketAddress remote) {
        if (mode == SmcMode.DISABLED) {
            return Use.TCP;
        }
        if (remote instanceof InetSocketAddress isa) {
            for (DestinationRule rule : destinations) {
                if (rule.matches(isa)) {
                    return rule.use();
                }
            }
        }
        return Use.SMC;
    }

    /**
     * A listener rule.
     *
     * @param host an IP literal the listener binds, or {@code "*"} for any
     * @param port the listener's port, or 0 for any
     * @param use SMC or plain TCP
     */
    public record ListenerRule(String host, int port, Use use) {
        public ListenerRule {
            Objects.requireNonNull(host, "`host` must not be `null`");
            Objects.requireNonNull(use, "`use` must not be `null`");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("`port` must be between 0 and 65535");
            }
            if (!host.equals("*")) {
                literal(host, "host");
            }
        }

        boolean matches(InetSocketAddress local) {
            if (port != 0 && port != local.getPort()) {
                return false;
            }
            return host.equals("*") || literal(host, "host").equals(normalize(local.getAddress()));
        }
    }

    /**
     * A destination rule.
     *
     * @param cidr an address block such as {@code 10.0.0.0/8} or {@code ::1/128}
     * @param port the remote port, or 0 for any
     * @param use SMC or plain TCP
     */
    public record DestinationRule(String cidr, int port, Use use) {
        public DestinationRule {
            Objects.requireNonNull(cidr, "`cidr` must not be `null`");
            Objects.requireNonNull(use, "`use` must not be `null`");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("`port` must be between 0 and 65535");
            }
            Cidr.parse(cidr);
        }

        boolean matches(InetSocketAddress remote) {
            if (port != 0 && port != remote.getPort()) {
                return false;
            }
            return remote.getAddress() != null && Cidr.parse(cidr).contains(normalize(remote.getAddress()));
        }
    }

    static InetAddress normalize(InetAddress address) {
        return Addresses.normalize(address);
    }

    static InetAddress literal(String text, String field) {
        return Addresses.literal(text, field);
    }

    /** An address block; parsed from text that was validated when its rule was built. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("`cidr` must look like 10.0.0.0/8, got: " + text);
            }
            InetAddress base = literal(text.substring(0, slash), "cidr");
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("`cidr` prefix must be a number, got: " + text);
            }
            int bits = base.getAddress().length * 8;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("`cidr` prefix must be between 0 and " + bits + ", got: " + text);
            }
            return new Cidr(base.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    /** Builds a policy rule by rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link SmcPolicy}. */
    public static final class Builder {
        private SmcMode mode = SmcMode.PREFERRED;
        private final List<ListenerRule> listeners = new ArrayList<>();
        private final List<DestinationRule> destinations = new ArrayList<>();

        private Builder() {
        }

        public Builder mode(SmcMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder listener(String host, int port, Use use) {
            listeners.add(new ListenerRule(host, port, use));
            return this;
        }

        public Builder destination(String cidr, int port, Use use) {
            destinations.add(new DestinationRule(cidr, port, use));
            return this;
        }

        public SmcPolicy build() {
            return new SmcPolicy(mode, listeners, destinations);
        }
    }
}
