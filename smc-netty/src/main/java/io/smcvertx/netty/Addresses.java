package io.smcvertx.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * IP address helpers shared by the policy, the tracker and the adapters: IP literals without DNS,
 * IPv4-mapped addresses in their IPv4 form, {@code host:port} as people write it.
 */
public final class Addresses {

    private Addresses() {
    }

    /** Maps an IPv4-mapped IPv6 address to its IPv4 form, so rules and reports match what a person wrote. */
    public static InetAddress normalize(InetAddress address) {
        if (address == null) {
            return null;
        }
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /** Parses an IP literal, never a host name (so never a DNS lookup); {@code field} names it in the error. */
    public static InetAddress literal(String text, String field) {
        boolean looksLiteral = !text.isEmpty() && (text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLiteral) {
            throw new IllegalArgumentException("`" + field + "` must be an IP address literal, got: " + text);
        }
        try {
            return normalize(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("`" + field + "` must be an IP address literal, got: " + text);
        }
    }

    /** {@code host:port} with IPv4-mapped addresses in their IPv4 form and IPv6 in brackets, or the address's own text. */
    public static String hostPort(SocketAddress address) {
        if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
            String host = normalize(isa.getAddress()).getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        return String.valueOf(address);
    }
}
