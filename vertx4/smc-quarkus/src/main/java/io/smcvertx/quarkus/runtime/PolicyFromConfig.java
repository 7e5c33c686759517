package io.smcvertx.quarkus.runtime;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code quarkus.smc.*} to an {@link SmcPolicy}. Every mistake fails the start with a
 * {@link ConfigurationException} that names the property (and the list index) and says what was
 * expected, so nothing is silently ignored.
 */
final class PolicyFromConfig {

    static final String MODE = "quarkus.smc.mode";
    static final String LISTENERS = "quarkus.smc.listener-rules";
    static final String DESTINATIONS = "quarkus.smc.destination-rules";

    private PolicyFromConfig() {
    }

    static SmcPolicy policy(String mode, Optional<List<String>> listeners, Optional<List<String>> destinations) {
        SmcPolicy.Builder b = SmcPolicy.builder().mode(mode(mode));
        rules(LISTENERS, listeners, "HOST:PORT=SMC|TCP (HOST an IP literal or *, PORT 0 for any)", true, b::listener);
        rules(DESTINATIONS, destinations, "CIDR[:PORT]=SMC|TCP, e.g. 10.0.0.0/8=TCP", false, b::destination);
        return b.build();
    }

    /** Where a parsed rule goes: the builder's listener or destination method. */
    private interface RuleSink {
        SmcPolicy.Builder add(String address, int port, SmcPolicy.Use use);
    }

    private static void rules(String name, Optional<List<String>> values, String expected, boolean portRequired, RuleSink sink) {
        List<String> vs = values.orElse(List.of());
        for (int i = 0; i < vs.size(); i++) {
            String property = name + "[" + i + "]";
            Rule r = rule(property, vs.get(i), expected, portRequired);
            try {
                sink.add(r.address(), r.port(), r.use());
            } catch (IllegalArgumentException e) {
                // the policy's own check (IP literal, CIDR, port range), said under the property's name
                throw invalid(property, vs.get(i), e.getMessage());
            }
        }
    }

    static SmcMode mode(String text) {
        try {
            return SmcMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(MODE, text, "expected one of preferred, required, disabled");
        }
    }

    private record Rule(String address, int port, SmcPolicy.Use use) {
    }

    private static Rule rule(String property, String text, String expected, boolean portRequired) {
        String t = text.trim();
        int eq = t.lastIndexOf('=');
        if (eq < 0) {
            throw invalid(property, text, "expected " + expected);
        }
        SmcPolicy.Use use;
        try {
            use = SmcPolicy.Use.valueOf(t.substring(eq + 1).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(property, text, "the part after '=' must be SMC or TCP; expected " + expected);
        }
        String target = t.substring(0, eq).trim();
        String address;
        String port = null;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            if (close < 0) {
                throw invalid(property, text, "unclosed '['; expected " + expected);
            }
            address = target.substring(1, close);
            String rest = target.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(property, text, "expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
            address = target.substring(0, target.indexOf(':'));
            port = target.substring(target.indexOf(':') + 1);
        } else {
            address = target;
        }
        if (port == null && portRequired) {
            throw invalid(property, text, "no port; expected " + expected);
        }
        int p = 0;
        if (port != null) {
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw invalid(property, text, "the port must be a number between 0 and 65535");
            }
        }
        return new Rule(address, p, use);
    }

    private static ConfigurationException invalid(String property, String value, String why) {
        return new ConfigurationException(property + "='" + value + "' is invalid: " + why, Set.of(property));
    }
}
