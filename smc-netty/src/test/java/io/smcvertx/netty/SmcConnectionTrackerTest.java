package io.smcvertx.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.smcvertx.transport.SmcMode;
import io.smcvertx.transport.diag.ConnectionMode;
import io.smcvertx.transport.diag.SmcConnectionInfo.Side;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.smcvertx.transport.diag.SmcSocketInfo;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tracker on its own, with embedded channels and a stand-in for the kernel: what it counts
 * as connections come, are classified and go, what REQUIRED closes, and that lookups go through
 * its maps without touching the other connections.
 */
class SmcConnectionTrackerTest {

    /** An embedded channel with IP addresses that counts how often anyone asks for them. */
    static final class Conn extends EmbeddedChannel {
        final InetSocketAddress local;
        final InetSocketAddress remote;
        final AtomicInteger addressReads = new AtomicInteger();

        Conn(int localPort, int remotePort) {
            this(localPort, remotePort, true);
        }

        /** {@code registered} false: like an accepted child not yet handed to its event loop. */
        Conn(int localPort, int remotePort, boolean registered) {
            super(registered, false);
            local = new InetSocketAddress("127.0.0.1", localPort);
            remote = new InetSocketAddress("127.0.0.1", remotePort);
        }

        @Override
        public SocketAddress localAddress() {
            addressReads.incrementAndGet();
            return local;
        }

        @Override
        public SocketAddress remoteAddress() {
            addressReads.incrementAndGet();
            return remote;
        }
    }

    /** Kernel answers by inode (the channel's local port), completed when the test says so. */
    static final class Kernel implements SmcConnectionTracker.KernelLookup {
        final Map<Long, CompletableFuture<Optional<SmcSocketInfo>>> answers = new ConcurrentHashMap<>();

        CompletableFuture<Optional<SmcSocketInfo>> answer(long inode) {
            return answers.computeIfAbsent(inode, i -> new CompletableFuture<>());
        }

        @Override
        public CompletionStage<Optional<SmcSocketInfo>> lookup(long inode) {
            return answer(inode);
        }

        @Override
        public long inode(Channel channel) {
            return ((Conn) channel).local.getPort();
        }
    }

    private static SmcConnectionInfo info(SmcConnectionTracker t, Channel ch) throws Exception {
        return t.info(ch).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void countsConnectionsAsTheyAreClassifiedAndClosed() throws Exception {
        Kernel kernel = new Kernel();
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.PREFERRED, true, "");
        AtomicInteger newKeys = new AtomicInteger();
        t.onNewKey(newKeys::incrementAndGet);
        Conn smcd = new Conn(1001, 5000);
        Conn peerNoSmc = new Conn(1002, 5000);
        Conn noUeid = new Conn(1003, 5000);
        for (Conn c : List.of(smcd, peerNoSmc, noUeid)) {
            t.track(c, Side.SERVER, true, false);
        }
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.UNKNOWN, 3L));
        assertThat(t.classifiedByMode()).isEmpty();

        kernel.answer(1001).complete(Optional.of(SmcNettyTesting.smcd(1001)));
        kernel.answer(1002).complete(Optional.of(SmcNettyTesting.fallback(1002, 0x03010000)));
        kernel.answer(1003).complete(Optional.of(SmcNettyTesting.fallback(1003, 0x03030008)));
        assertThat(info(t, smcd).mode()).isEqualTo(ConnectionMode.SMCD);
        SmcConnectionInfo fb = info(t, peerNoSmc);
        assertThat(fb.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(fb.fallbackReasonHex()).isEqualTo("0x03010000");
        assertThat(fb.fallbackReasonName()).isEqualTo("PEERNOSMC");
        assertThat(fb.local()).isEqualTo("127.0.0.1:1002");
        assertThat(fb.remote()).isEqualTo("127.0.0.1:5000");
        assertThat(fb.side()).isEqualTo(Side.SERVER);

        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L, ConnectionMode.FALLBACK_TCP, 2L));
        assertThat(t.classifiedByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L, ConnectionMode.FALLBACK_TCP, 2L));
        assertThat(t.fallbacksByReason()).isEqualTo(Map.of("0x03010000", 1L, "0x03030008", 1L));
        assertThat(newKeys).as("one notice per new reason").hasValue(2);

        peerNoSmc.close().sync();
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L, ConnectionMode.FALLBACK_TCP, 1L));
        assertThat(t.classifiedByMode()).as("a counter: closing does not take it back")
                .isEqualTo(Map.of(ConnectionMode.SMCD, 1L, ConnectionMode.FALLBACK_TCP, 2L));
        assertThat(t.openCount()).isEqualTo(2);
        assertThat(t.isTracked(peerNoSmc)).isFalse();
        assertThat(t.info(peerNoSmc).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void aConnectionClosedBeforeTheKernelAnsweredLeavesNoOpenCount() throws Exception {
        Kernel kernel = new Kernel();
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.PREFERRED, true, "");
        Conn c = new Conn(1101, 5000);
        t.track(c, Side.CLIENT, true, false);
        c.close().sync();
        assertThat(t.openByMode()).isEmpty();
        kernel.answer(1101).complete(Optional.of(SmcNettyTesting.smcd(1101)));
        assertThat(t.openByMode()).as("never negative, never resurrected").isEmpty();
        assertThat(t.classifiedByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L));
    }

    @Test
    void requiredClosesWhatTheKernelLeftOnTcpButNotWhatThePolicyPutThere() throws Exception {
        Kernel kernel = new Kernel();
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.REQUIRED, true, "");
        AtomicInteger newKeys = new AtomicInteger();
        t.onNewKey(newKeys::incrementAndGet);
        Conn fellBack = new Conn(1201, 5000);
        Conn byPolicy = new Conn(1202, 5000);
        Conn smcd = new Conn(1203, 5000);
        t.track(fellBack, Side.CLIENT, true, false);
        t.track(byPolicy, Side.CLIENT, true, true);
        t.track(smcd, Side.CLIENT, true, false);
        kernel.answer(1201).complete(Optional.of(SmcNettyTesting.fallback(1201, 0x03030008)));
        kernel.answer(1202).complete(Optional.of(SmcNettyTesting.fallback(1202, SmcConnectionTracker.DECLINE_OPTUNSUPP)));
        kernel.answer(1203).complete(Optional.of(SmcNettyTesting.smcd(1203)));

        assertThat(info(t, smcd).mode()).isEqualTo(ConnectionMode.SMCD);
        assertThat(fellBack.isOpen()).as("REQUIRED: the kernel left it on TCP").isFalse();
        assertThat(t.requiredClosedByReason()).isEqualTo(Map.of("0x03030008", 1L));
        assertThat(byPolicy.isOpen()).as("the policy sent it to TCP on purpose").isTrue();
        SmcConnectionInfo ruled = info(t, byPolicy);
        assertThat(ruled.mode()).isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(ruled.note()).isEqualTo("policy: plain TCP");
        assertThat(t.fallbacksByReason()).isEqualTo(Map.of("0x03030008", 1L, "0x03060000", 1L));
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L, ConnectionMode.FALLBACK_TCP, 1L));
        assertThat(newKeys).as("two fallback reasons and one REQUIRED reason").hasValue(3);
    }

    @Test
    void requiredClosesAChildTheKernelAnsweredForBeforeItWasRegistered() throws Exception {
        Kernel kernel = new Kernel();
        kernel.answer(1401).complete(Optional.of(SmcNettyTesting.fallback(1401, 0x03030008))); // a cached dump: at once
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.REQUIRED, true, "");
        Conn child = new Conn(1401, 5000, false);
        t.track(child, Side.SERVER, true, false);
        assertThat(info(t, child).mode()).as("answered although it could not be closed yet").isEqualTo(ConnectionMode.FALLBACK_TCP);
        assertThat(t.requiredClosedByReason()).isEqualTo(Map.of("0x03030008", 1L));
        assertThat(child.isOpen()).isTrue();
        child.register();
        assertThat(child.isOpen()).as("closed as soon as it has an event loop").isFalse();
        assertThat(t.openByMode()).isEmpty();
    }

    @Test
    void plainSocketsAreTcpWithTheirNoteAndTheKernelIsNotAsked() throws Exception {
        Kernel kernel = new Kernel();
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.PREFERRED, false, "SMC unavailable: no SMC here");
        Conn plain = new Conn(1301, 5000);
        Conn ruled = new Conn(1302, 5000);
        t.track(plain, Side.SERVER, false, false);
        t.track(ruled, Side.SERVER, false, true);
        assertThat(info(t, plain).note()).isEqualTo("SMC unavailable: no SMC here");
        assertThat(info(t, ruled).note()).isEqualTo("policy: plain TCP");
        assertThat(info(t, ruled).mode()).isEqualTo(ConnectionMode.TCP);
        assertThat(kernel.answers).isEmpty();
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.TCP, 2L));
    }

    @Test
    void lookupsGoThroughTheMapsAndTouchNoOtherConnection() throws Exception {
        Kernel kernel = new Kernel();
        SmcConnectionTracker t = new SmcConnectionTracker(kernel, SmcMode.PREFERRED, true, "");
        List<Conn> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Conn c = new Conn(2000 + i, 6000 + i % 7);
            all.add(c);
            t.track(c, Side.SERVER, true, false);
            kernel.answer(2000 + i).complete(Optional.of(SmcNettyTesting.smcd(2000 + i)));
        }
        all.forEach(c -> c.addressReads.set(0));

        Conn wanted = all.get(321);
        assertThat(t.find(wanted.local, wanted.remote)).contains(wanted);
        assertThat(t.find(wanted.remote, wanted.local)).as("the other end's view is another connection").isEmpty();
        assertThat(info(t, all.get(17)).mode()).isEqualTo(ConnectionMode.SMCD);
        assertThat(t.channelsTo(new InetSocketAddress("127.0.0.1", 6003))).hasSize(71).contains(all.get(3));
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 500L));
        assertThat(t.fallbacksByReason()).isEmpty();
        assertThat(all).as("no lookup asked another connection for its addresses (no scan)")
                .allSatisfy(c -> assertThat(c.addressReads).hasValue(0));

        wanted.close().sync();
        assertThat(t.find(wanted.local, wanted.remote)).isEmpty();
        assertThat(t.channelsTo(wanted.remote)).hasSize(70).doesNotContain(wanted);
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 499L));
    }

    @Test
    void listenersAreKnownWhileBound() throws Exception {
        SmcConnectionTracker t = new SmcConnectionTracker(new Kernel(), SmcMode.PREFERRED, true, "");
        Conn listener = new Conn(7007, 0);
        t.listenerBound(new InetSocketAddress("::ffff:127.0.0.1", 7007), "SMC", listener);
        assertThat(t.listeners()).isEqualTo(Map.of("127.0.0.1:7007", "SMC"));
        listener.close().sync();
        assertThat(t.listeners()).isEmpty();
    }

    @Test
    void aSocketTheDumpMissedIsAskedAgainWhileItsChannelIsOpen() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // the kernel's dump misses the socket twice (a dump is no snapshot), then reports it
        SmcConnectionTracker.KernelLookup flaky = new SmcConnectionTracker.KernelLookup() {
            @Override
            public CompletionStage<Optional<SmcSocketInfo>> lookup(long inode) {
                return CompletableFuture.completedFuture(asked.incrementAndGet() <= 2
                        ? Optional.empty() : Optional.of(SmcNettyTesting.smcd(inode)));
            }

            @Override
            public long inode(Channel channel) {
                return ((Conn) channel).local.getPort();
            }
        };
        SmcConnectionTracker t = new SmcConnectionTracker(flaky, SmcMode.PREFERRED, true, "", new long[] {1, 1, 1});
        Conn c = new Conn(1301, 5000);
        t.track(c, Side.SERVER, true, false);
        assertThat(info(t, c).mode()).isEqualTo(ConnectionMode.SMCD);
        assertThat(asked).hasValue(3);
        assertThat(t.openByMode()).isEqualTo(Map.of(ConnectionMode.SMCD, 1L));

        // a socket the kernel never reports: UNKNOWN after the last try, saying how often it asked
        asked.set(-100);
        Conn never = new Conn(1302, 5000);
        t.track(never, Side.SERVER, true, false);
        SmcConnectionInfo unknown = info(t, never);
        assertThat(unknown.mode()).isEqualTo(ConnectionMode.UNKNOWN);
        assertThat(unknown.note()).isEqualTo("smc_diag has no socket with inode 1302 (4 tries)");
        assertThat(asked).hasValue(-96);
    }
}
