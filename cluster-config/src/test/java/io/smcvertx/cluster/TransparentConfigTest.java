package io.smcvertx.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.transport.system.CgroupPattern;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet config's {@code transparent} section: JSON, validation with field names, slices, diffs. */
class TransparentConfigTest {

    private static final String POD = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod*.slice";

    @Test
    void readsStringsAndObjectsAndWritesThemBack() {
        FleetConfig c = FleetConfigJson.parse("""
                { "revision": 3,
                  "transparent": [ "/system.slice/nginx.service",
                                   { "cgroup": "%s", "hosts": { "labels": { "role": "k8s" } } } ] }
                """.formatted(POD));
        assertThat(c.transparent()).containsExactly(TransparentRule.everywhere("/system.slice/nginx.service"),
                new TransparentRule(new CgroupPattern(POD), HostSelector.label("role", "k8s")));
        String canonical = new String(FleetConfigJson.canonical(c), StandardCharsets.UTF_8);
        assertThat(canonical).endsWith(",\"transparent\":[\"/system.slice/nginx.service\",{\"cgroup\":\"" + POD
                + "\",\"hosts\":{\"labels\":{\"role\":\"k8s\"}}}]}");
        assertThat(FleetConfigJson.parse(canonical)).isEqualTo(c);
    }

    @Test
    void noSectionKeepsTheCanonicalBytesOfOlderRevisions() {
        FleetConfig c = FleetConfig.builder(1).ueid("A").build();
        assertThat(new String(FleetConfigJson.canonical(c), StandardCharsets.UTF_8))
                .isEqualTo("{\"revision\":1,\"pnet\":[],\"ueids\":[\"A\"],\"sysctls\":{}}");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> FleetConfigJson.parse("""
                { "revision": 1, "transparent": [ "/", "relative", { "cgroup": "/a b" }, { "path": "/x" }, 7,
                  { "cgroup": "/ok", "hosts": { "names": [] } } ] }"""))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors()).extracting(
                        FieldError::toString).containsExactly(
                        "`transparent[0]` must not be the root cgroup: that would select every process on the host",
                        "`transparent[1]` must be an absolute cgroup path starting with '/' (relative to the cgroup2 "
                                + "mount), got \"relative\"",
                        "`transparent[2].cgroup` may hold only A-Z, a-z, 0-9, '-', '_', '.', '@', ':', '+', '=', ',', "
                                + "'\\' and the wildcards '*' and '?', got ' ' at position 2 in \"/a b\"",
                        "`transparent[3].path` is not a known field (expected one of [cgroup, hosts])",
                        "`transparent[3].cgroup` is required",
                        "`transparent[4]` must be a cgroup pattern string or an object with `cgroup` and `hosts`",
                        "`transparent[5].hosts.names` must not be empty (leave it out to select every host)"));
        assertThatThrownBy(() -> FleetConfigJson.parse("{ \"revision\": 1, \"transparent\": \"/a\" }"))
                .hasMessageContaining("`transparent` must be an array");
    }

    @Test
    void atMost64PatternsReachOneHost() {
        FleetConfig.Builder b = FleetConfig.builder(1);
        for (int i = 0; i < 64; i++) {
            b.transparent("/system.slice/s" + i + ".service");
        }
        b.build();
        b.transparent("/system.slice/one-more.service", HostSelector.names("db1"));
        assertThatThrownBy(b::build).isInstanceOfSatisfying(ConfigValidationException.class, e ->
                assertThat(e.errors()).extracting(FieldError::toString).containsExactly(
                        "`transparent[64]` would be cgroup pattern number 65 on host db1 (at most 64 per host)"));
    }

    @Test
    void eachHostGetsItsPatterns() {
        FleetConfig c = FleetConfig.builder(1).transparent("/system.slice/nginx.service")
                .transparent(POD, HostSelector.label("role", "k8s")).build();
        assertThat(c.sliceFor(new HostIdentity("node1", Map.of("role", "k8s"))).transparent())
                .containsExactlyInAnyOrder(new CgroupPattern("/system.slice/nginx.service"), new CgroupPattern(POD));
        assertThat(c.sliceFor(HostIdentity.of("web1")).transparent())
                .containsExactly(new CgroupPattern("/system.slice/nginx.service"));
        assertThat(FleetConfigDiff.between(FleetConfig.builder(1).transparent("/system.slice/nginx.service").build(), c))
                .containsExactly("+ transparent " + POD + " on labels={role=k8s}");
    }
}
