package io.smcvertx.transport.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CgroupPatternTest {

    @Test
    void validPatternsOfRealHierarchies() {
        for (String p : new String[] {"/system.slice/nginx.service", "/kubepods.slice/kubepods-besteffort.slice",
            "/kubepods.slice/*/kubepods-*-pod*.slice", "/user.slice/user-1000.slice/user@1000.service",
            "/system.slice/docker-0123abcd.scope", "/machine.slice/systemd-nspawn@web.service",
            "/system.slice/app-foo\\x2dbar.scope", "/a"}) {
            assertThat(CgroupPattern.check(p)).as(p).isNull();
        }
    }

    @Test
    void refusalsSayWhat() {
        assertThat(CgroupPattern.check("/")).contains("root cgroup");
        assertThat(CgroupPattern.check("system.slice")).contains("absolute");
        assertThat(CgroupPattern.check("/a//b")).contains("empty segment");
        assertThat(CgroupPattern.check("/a/")).contains("must not end with '/'");
        assertThat(CgroupPattern.check("/a/../b")).contains("'..' segment");
        assertThat(CgroupPattern.check("/kubepods.slice/**")).contains("'**'");
        assertThat(CgroupPattern.check("/my service")).contains("got ' ' at position 3");
        assertThat(CgroupPattern.check("/a\nb")).contains("\\u000a");
        assertThat(CgroupPattern.check("")).isEqualTo("must not be empty");
        assertThatThrownBy(() -> new CgroupPattern("/")).hasMessageStartingWith("`cgroup` must not be the root");
    }

    @Test
    void matchingIsPerSegment() {
        CgroupPattern p = new CgroupPattern("/kubepods.slice/*/kubepods-*-pod*.slice");
        assertThat(p.matches("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice")).isTrue();
        assertThat(p.matches("/kubepods.slice/kubepods-besteffort.slice")).isFalse();                       // too shallow
        assertThat(p.matches("/kubepods.slice/a/kubepods-x-pod1.slice/cri-containerd-1.scope")).isFalse(); // too deep
        assertThat(p.matches("/kubepods.slice/a/b/kubepods-x-pod1.slice")).isFalse();                      // * stays in a segment
        assertThat(new CgroupPattern("/a?c").matches("/abc")).isTrue();
        assertThat(new CgroupPattern("/a?c").matches("/ac")).isFalse();
        assertThat(new CgroupPattern("/*").matches("/x")).isTrue();
        assertThat(new CgroupPattern("/a*b*c").matches("/aXbYbZc")).isTrue();
        assertThat(new CgroupPattern("/a*b*c").matches("/aXbYbZ")).isFalse();
        assertThat(new CgroupPattern("/a").isLiteral()).isTrue();
        assertThat(new CgroupPattern("/a*").isLiteral()).isFalse();
    }
}
