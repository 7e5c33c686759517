package io.smcvertx.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SmcConfigTest {

    @Test
    void defaultsPreferSmcAndLetTheProbeChooseTheSocketCall() {
        SmcConfig config = SmcConfig.defaults();
        assertThat(config.mode()).isEqualTo(SmcMode.PREFERRED);
        assertThat(config.socketApi()).isEqualTo(SmcSocketApi.AUTO);
        assertThat(SmcConfig.builder().build()).isEqualTo(config);
    }

    @Test
    void builderSetsEveryField() {
        SmcConfig config = SmcConfig.builder().mode(SmcMode.REQUIRED).socketApi(SmcSocketApi.IPPROTO_SMC).build();
        assertThat(config).isEqualTo(new SmcConfig(SmcMode.REQUIRED, SmcSocketApi.IPPROTO_SMC));
        assertThat(config.toBuilder().mode(SmcMode.PREFERRED).build())
                .isEqualTo(new SmcConfig(SmcMode.PREFERRED, SmcSocketApi.IPPROTO_SMC));
    }

    @Test
    void rejectsMissingFieldsByName() {
        assertThatThrownBy(() -> SmcConfig.builder().mode(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("`mode` must not be `null`");
        assertThatThrownBy(() -> SmcConfig.builder().socketApi(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("`socketApi` must not be `null`");
    }

    @Test
    void rejectsAForcedSocketCallWhenSmcIsDisabled() {
        assertThatThrownBy(() -> SmcConfig.builder().mode(SmcMode.DISABLED).socketApi(SmcSocketApi.AF_SMC).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("`socketApi` must be AUTO when `mode` is DISABLED (got AF_SMC)");
        assertThat(SmcConfig.builder().mode(SmcMode.DISABLED).build().socketApi()).isEqualTo(SmcSocketApi.AUTO);
    }

    @Test
    void forcedSocketCallsResolveToThemselvesAndAutoFollowsTheProbe() {
        assertThat(Smc.resolve(SmcSocketApi.AF_SMC)).isEqualTo(SmcSocketApi.AF_SMC);
        assertThat(Smc.resolve(SmcSocketApi.IPPROTO_SMC)).isEqualTo(SmcSocketApi.IPPROTO_SMC);
        SmcCapabilities caps = Smc.capabilities();
        assertThat(Smc.resolve(SmcSocketApi.AUTO)).isEqualTo(
                !caps.afSmcUsable() && caps.ipprotoSmcUsable() ? SmcSocketApi.IPPROTO_SMC : SmcSocketApi.AF_SMC);
    }
}
