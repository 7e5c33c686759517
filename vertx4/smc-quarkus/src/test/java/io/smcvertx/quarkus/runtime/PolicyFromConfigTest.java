package io.smcvertx.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smcvertx.netty.SmcPolicy;
import io.smcvertx.transport.SmcMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** quarkus.smc.* to a policy: what is accepted, and errors that name the property. */
class PolicyFromConfigTest {

    @Test
    void modeAndRulesBecomeThePolicy() {
        SmcPolicy p = PolicyFromConfig.policy("Required",
                Optional.of(List.of("*:9000=TCP", "[::1]:8080=smc")),
                Optional.of(List.of("10.0.0.0/8=TCP", "192.168.0.0/16:443=TCP", "[fd00::/8]:5432=TCP", "::1/128=SMC")));
        assertThat(p.mode()).isEqualTo(SmcMode.REQUIRED);
        assertThat(p.listeners()).containsExactly(new SmcPolicy.ListenerRule("*", 9000, SmcPolicy.Use.TCP),
                new SmcPolicy.ListenerRule("::1", 8080, SmcPolicy.Use.SMC));
        assertThat(p.destinations()).containsExactly(new SmcPolicy.DestinationRule("10.0.0.0/8", 0, SmcPolicy.Use.TCP),
                new SmcPolicy.DestinationRule("192.168.0.0/16", 443, SmcPolicy.Use.TCP),
                new SmcPolicy.DestinationRule("fd00::/8", 5432, SmcPolicy.Use.TCP),
                new SmcPolicy.DestinationRule("::1/128", 0, SmcPolicy.Use.SMC));
    }

    @Test
    void defaultsAreTheDefaultPolicy() {
        assertThat(PolicyFromConfig.policy("preferred", Optional.empty(), Optional.empty())).isEqualTo(SmcPolicy.DEFAULT);
    }

    @Test
    void errorsNameThePropertyAndIndex() {
        assertInvalid("fast", List.of(), List.of(), "quarkus.smc.mode='fast' is invalid: expected one of preferred, required, disabled");
        assertInvalid("preferred", List.of("*:9000=TCP", "*=TCP"), List.of(), "quarkus.smc.listener-rules[1]='*=TCP' is invalid: no port");
        assertInvalid("preferred", List.of("localhost:80=TCP"), List.of(), "quarkus.smc.listener-rules[0]='localhost:80=TCP' is invalid: ");
        assertInvalid("preferred", List.of(), List.of("10.0.0.0/8=UDP"), "quarkus.smc.destination-rules[0]='10.0.0.0/8=UDP' is invalid: the part after '=' must be SMC or TCP");
        assertInvalid("preferred", List.of(), List.of("10.0.0.0/33=TCP"), "quarkus.smc.destination-rules[0]='10.0.0.0/33=TCP' is invalid: ");
        assertInvalid("preferred", List.of(), List.of("10.0.0.0/8:70000=TCP"), "quarkus.smc.destination-rules[0]='10.0.0.0/8:70000=TCP' is invalid: ");
        assertInvalid("preferred", List.of(), List.of("10.0.0.0/8"), "quarkus.smc.destination-rules[0]='10.0.0.0/8' is invalid: expected CIDR[:PORT]=SMC|TCP");
    }

    private static void assertInvalid(String mode, List<String> listeners, List<String> destinations, String message) {
        assertThatThrownBy(() -> PolicyFromConfig.policy(mode, Optional.of(listeners), Optional.of(destinations)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((ConfigurationException) e).getConfigKeys()).singleElement().asString()
                        .startsWith(message.substring(0, message.indexOf('='))));
    }
}
