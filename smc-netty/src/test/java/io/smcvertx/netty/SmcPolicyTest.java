package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.netty.SmcPolicy.Use;
import io.smcvertx.transport.SmcMode;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SmcPolicyTest {

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void defaultIsSmcEverywhere() {
        assertThat(SmcPolicy.DEFAULT.forListener(at("0.0.0.0", 80))).isEqualTo(Use.SMC);
        assertThat(SmcPolicy.DEFAULT.forDestination(at("10.1.2.3", 443))).isEqualTo(Use.SMC);
        assertThat(SmcPolicy.DEFAULT.hasTcpRules()).isFalse();
    }

    @Test
    void firstMatchingRuleWins() {
        SmcPolicy p = SmcPolicy.builder()
                .listener("127.0.0.1", 8080, Use.TCP)
                .listener("*", 0, Use.SMC)
                .destination("10.0.0.0/8", 0, Use.TCP)
                .destination("192.168.1.0/24", 5432, Use.TCP)
                .destination("::1/128", 0, Use.TCP)
                .build();
        assertThat(p.forListener(at("127.0.0.1", 8080))).isEqualTo(Use.TCP);
        assertThat(p.forListener(at("::ffff:127.0.0.1", 8080))).as("IPv4-mapped").isEqualTo(Use.TCP);
        assertThat(p.forListener(at("127.0.0.1", 8081))).isEqualTo(Use.SMC);
        assertThat(p.forDestination(at("10.200.0.1", 1))).isEqualTo(Use.TCP);
        assertThat(p.forDestination(at("11.0.0.1", 1))).isEqualTo(Use.SMC);
        assertThat(p.forDestination(at("192.168.1.77", 5432))).isEqualTo(Use.TCP);
        assertThat(p.forDestination(at("192.168.1.77", 5433))).isEqualTo(Use.SMC);
        assertThat(p.forDestination(at("192.168.2.77", 5432))).isEqualTo(Use.SMC);
        assertThat(p.forDestination(at("::1", 9))).isEqualTo(Use.TCP);
        assertThat(p.hasTcpRules()).isTrue();
    }

    @Test
    void nonOctetPrefixes() {
        SmcPolicy p = SmcPolicy.builder().destination("172.16.0.0/12", 0, Use.TCP).build();
        assertThat(p.forDestination(at("172.31.255.255", 1))).isEqualTo(Use.TCP);
        assertThat(p.forDestination(at("172.32.0.0", 1))).isEqualTo(Use.SMC);
    }

    @Test
    void disabledMeansTcp() {
        SmcPolicy p = SmcPolicy.of(SmcMode.DISABLED);
        assertThat(p.forListener(at("127.0.0.1", 1))).isEqualTo(Use.TCP);
        assertThat(p.forDestination(at("127.0.0.1", 1))).isEqualTo(Use.TCP);
    }

    @Test
    void badRulesNameTheirField() {
        assertThatThrownBy(() -> SmcPolicy.builder().destination("10.0.0.0", 0, Use.TCP))
                .hasMessageContaining("`cidr`");
        assertThatThrownBy(() -> SmcPolicy.builder().destination("10.0.0.0/33", 0, Use.TCP))
                .hasMessageContaining("`cidr` prefix must be between 0 and 32");
        assertThatThrownBy(() -> SmcPolicy.builder().destination("example.com/8", 0, Use.TCP))
                .hasMessageContaining("must be an IP address literal");
        assertThatThrownBy(() -> SmcPolicy.builder().listener("*", 70000, Use.TCP))
                .hasMessageContaining("`port` must be between 0 and 65535");
        assertThatThrownBy(() -> SmcPolicy.builder().listener("localhost", 1, Use.TCP))
                .hasMessageContaining("`host` must be an IP address literal");
    }
}
