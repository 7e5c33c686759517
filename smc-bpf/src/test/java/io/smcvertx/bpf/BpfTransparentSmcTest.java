package io.smcvertx.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.TransparentSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port's bookkeeping: what goes into the map, what comes out, drift, refusals and detaching. */
class BpfTransparentSmcTest {

    @TempDir
    Path root;

    private final FakeUpgrade upgrade = new FakeUpgrade();
    private final AtomicInteger attaches = new AtomicInteger();

    @Test
    void selectsWhatMatchesAndFollowsTheTree() throws IOException {
        mk("/kubepods.slice/pod-a.slice");
        mk("/kubepods.slice/pod-b.slice");
        BpfTransparentSmc port = port();
        Set<CgroupPattern> want = Set.of(new CgroupPattern("/kubepods.slice/pod-*.slice"),
                new CgroupPattern("/system.slice/nginx.service"));
        TransparentSelection s = port.apply(want);
        assertThat(s.attached()).isTrue();
        assertThat(s.refusal()).isEmpty();
        assertThat(s.selected()).extracting(TransparentSelection.SelectedCgroup::path)
                .containsExactly("/kubepods.slice/pod-a.slice", "/kubepods.slice/pod-b.slice");
        assertThat(s.unmatched()).containsExactly(new CgroupPattern("/system.slice/nginx.service"));
        assertThat(upgrade.map).containsExactlyInAnyOrder(id("/kubepods.slice/pod-a.slice"), id("/kubepods.slice/pod-b.slice"));

        Files.delete(root.resolve("kubepods.slice/pod-a.slice"));
        mk("/kubepods.slice/pod-c.slice");
        mk("/system.slice/nginx.service");
        s = port.apply(want);
        assertThat(s.selected()).extracting(TransparentSelection.SelectedCgroup::path).containsExactly(
                "/kubepods.slice/pod-b.slice", "/kubepods.slice/pod-c.slice", "/system.slice/nginx.service");
        assertThat(s.unmatched()).isEmpty();
        assertThat(s.corrected()).isEmpty();
        assertThat(upgrade.map).hasSize(3);
        assertThat(attaches).hasValue(1);
    }

    @Test
    void driftIsPutBackAndSaid() throws IOException {
        mk("/a");
        BpfTransparentSmc port = port();
        Set<CgroupPattern> want = Set.of(new CgroupPattern("/a"));
        port.apply(want);
        upgrade.map.clear();           // someone deleted our entry (bpftool map delete)
        upgrade.map.add(99L);           // and added one of theirs
        TransparentSelection s = port.apply(want);
        assertThat(s.corrected()).hasSize(2);
        assertThat(s.corrected().get(0)).contains("cgroup /a (id " + id("/a") + ") had been removed").endsWith("put back");
        assertThat(s.corrected().get(1)).contains("cgroup id 99 was in the selection map without being selected here: removed");
        assertThat(upgrade.map).containsExactly(id("/a"));
        assertThat(port.apply(want).corrected()).isEmpty();
    }

    @Test
    void emptySelectionDetachesAndNeverAttaches() {
        BpfTransparentSmc port = port();
        assertThat(port.apply(Set.of())).isEqualTo(TransparentSelection.off());
        assertThat(attaches).hasValue(0);
    }

    @Test
    void refusalAttachesNothing() throws IOException {
        mk("/a");
        BpfTransparentSmc port = new BpfTransparentSmc(() -> Cgroups.at(root), () -> {
            throw new TransparentRefusedException(TransparentRefusedException.Missing.SMC, "no SMC here");
        });
        TransparentSelection s = port.apply(Set.of(new CgroupPattern("/a")));
        assertThat(s.attached()).isFalse();
        assertThat(s.refusal()).contains("no SMC here");
        assertThat(s.selected()).isEmpty();
    }

    @Test
    void aFailingMapWriteDetaches() throws IOException {
        mk("/a");
        upgrade.failWrites = true;
        TransparentSelection s = port().apply(Set.of(new CgroupPattern("/a")));
        assertThat(s.attached()).isFalse();
        assertThat(s.refusal().orElseThrow()).startsWith("transparent SMC failed, nothing attached: ");
        assertThat(upgrade.closed).isTrue();
    }

    @Test
    void deselectingEverythingDetaches() throws IOException {
        mk("/a");
        BpfTransparentSmc port = port();
        port.apply(Set.of(new CgroupPattern("/a")));
        port.apply(Set.of());
        assertThat(upgrade.closed).isTrue();
        assertThat(port.attachment()).isEmpty();
    }

    private BpfTransparentSmc port() {
        return new BpfTransparentSmc(() -> Cgroups.at(root), () -> {
            attaches.incrementAndGet();
            return upgrade;
        });
    }

    private long id(String path) throws IOException {
        return Cgroups.at(root).id(path);
    }

    private void mk(String path) throws IOException {
        Files.createDirectories(root.resolve(path.substring(1)));
    }

    private static final class FakeUpgrade implements BpfTransparentSmc.Upgrade {
        final Set<Long> map = new TreeSet<>();
        boolean closed;
        boolean failWrites;

        @Override
        public void select(long cgroupId) throws IOException {
            if (failWrites) {
                throw new IOException("bpf(BPF_MAP_UPDATE_ELEM) failed: E2BIG");
            }
            map.add(cgroupId);
        }

        @Override
        public boolean deselect(long cgroupId) {
            return map.remove(cgroupId);
        }

        @Override
        public Set<Long> selected() {
            return new TreeSet<>(map);
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
