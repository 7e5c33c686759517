package io.smcvertx.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.TransparentSelection.SelectedCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pattern matching over a directory tree shaped like a Kubernetes node's cgroup v2 hierarchy. */
class CgroupsTest {

    @TempDir
    Path root;

    @Test
    void kubernetesShapedPatterns() throws IOException {
        String be = "/kubepods.slice/kubepods-besteffort.slice";
        mk(be + "/kubepods-besteffort-pod1111.slice/cri-containerd-aaa.scope");
        mk(be + "/kubepods-besteffort-pod2222.slice/cri-containerd-bbb.scope");
        mk("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3333.slice");
        mk("/kubepods.slice/kubepods-pod4444.slice");
        mk("/system.slice/nginx.service");
        Files.writeString(root.resolve("kubepods.slice/cgroup.procs"), ""); // files are never cgroups
        Cgroups c = Cgroups.at(root);

        List<SelectedCgroup> pods = c.match(new CgroupPattern(be + "/kubepods-besteffort-pod*.slice"));
        assertThat(pods).extracting(SelectedCgroup::path).containsExactly(
                be + "/kubepods-besteffort-pod1111.slice", be + "/kubepods-besteffort-pod2222.slice");
        assertThat(pods.get(0).id()).isEqualTo(Files.getAttribute(c.dir(pods.get(0).path()), "unix:ino"));
        assertThat(c.match(new CgroupPattern("/kubepods.slice/*/kubepods-*-pod*.slice"))).hasSize(3);
        assertThat(c.match(new CgroupPattern("/kubepods.slice/kubepods-pod????.slice"))).hasSize(1);
        assertThat(c.match(new CgroupPattern("/system.slice/nginx.service"))).extracting(SelectedCgroup::path)
                .containsExactly("/system.slice/nginx.service");
        assertThat(c.match(new CgroupPattern("/system.slice/redis.service"))).isEmpty();
        assertThat(c.match(new CgroupPattern("/kubepods.slice/cgroup.procs"))).isEmpty();
        assertThat(c.pathsById()).containsEntry(pods.get(1).id(), pods.get(1).path());
    }

    @Test
    void createAndRemove() throws IOException {
        Cgroups c = Cgroups.at(root);
        String child = c.create("/", "smcctl-run-42");
        assertThat(child).isEqualTo("/smcctl-run-42");
        assertThat(Files.isDirectory(root.resolve("smcctl-run-42"))).isTrue();
        c.remove(child);
        assertThat(Files.exists(root.resolve("smcctl-run-42"))).isFalse();
    }

    @Test
    void mountInfo() throws IOException {
        Path mi = root.resolve("mountinfo");
        Files.writeString(mi, """
                22 1 0:21 / /proc rw,nosuid - proc proc rw
                30 24 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                35 30 0:30 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate
                """);
        assertThat(Cgroups.mountPoint(mi)).contains(Path.of("/sys/fs/cgroup/unified"));
        Files.writeString(mi, "22 1 0:21 / /proc rw,nosuid - proc proc rw\n");
        assertThat(Cgroups.mountPoint(mi)).isEmpty();
        Files.writeString(mi, "35 30 0:30 / /cg\\040root rw - cgroup2 none rw\n");
        assertThat(Cgroups.mountPoint(mi)).contains(Path.of("/cg root"));
    }

    private void mk(String path) throws IOException {
        Files.createDirectories(root.resolve(path.substring(1)));
    }
}
