package io.smcvertx.transport.internal.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smcvertx.transport.system.SmcDevice;
import java.util.List;
import java.util.function.Function;

/**
 * Fuzz targets for what the kernel sends back over netlink: datagrams split into messages, the
 * extended ack of an error, attribute runs (nested to any depth) and every generic-netlink reply
 * decoder of the SMC families. The only failure a decoder may declare for bad bytes is
 * {@link IllegalArgumentException} ({@link NetlinkException} where it says so); anything else
 * (an index out of bounds, a negative array size, an endless loop) is a bug the fuzzer reports.
 *
 * <p>Without {@code JAZZER_FUZZ} these run as plain tests over the seeds in
 * {@code src/test/resources/io/smcvertx/transport/internal/netlink/NetlinkFuzzTestInputs/} (real
 * kernel replies, and every crash the fuzzer ever found); {@code deploy/fuzz/run.sh} fuzzes.
 */
class NetlinkFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void datagrams(byte[] datagram) {
        List<NlMsg> messages;
        try {
            messages = NlMsg.decodeAll(datagram);
        } catch (IllegalArgumentException declared) {
            return;
        }
        for (NlMsg m : messages) {
            try {
                NlMsg.Status.of(m);
            } catch (IllegalArgumentException declared) {
                // a malformed extended ack
            }
            Genl.cmd(m);
            try {
                walk(Genl.attrs(m), 0);
            } catch (IllegalArgumentException declared) {
                // too short for a generic-netlink header, or bad attributes
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void attributes(byte[] run) {
        try {
            walk(Attrs.parse(run, 0, run.length), 0);
        } catch (IllegalArgumentException declared) {
            // a malformed attribute
        }
    }

    @FuzzTest(maxDuration = "10s")
    void genlReplies(byte[] datagram) {
        List<NlMsg> reply;
        try {
            reply = NlMsg.decodeAll(datagram);
        } catch (IllegalArgumentException declared) {
            return;
        }
        List<Function<List<NlMsg>, ?>> decoders = List.of(SmcGenlCodec::sysInfo,
                r -> SmcGenlCodec.devices(r, SmcDevice.Type.SMCD), r -> SmcGenlCodec.devices(r, SmcDevice.Type.SMCR),
                SmcGenlCodec::smcrLinkGroups, SmcGenlCodec::smcdLinkGroups, SmcGenlCodec::stats,
                SmcGenlCodec::fallbackStats, SmcGenlCodec::ueids, SmcGenlCodec::seid, SmcGenlCodec::hsLimitation,
                SmcGenlCodec::pnetEntries);
        for (Function<List<NlMsg>, ?> d : decoders) {
            try {
                d.apply(reply);
            } catch (IllegalArgumentException declared) {
                // a reply this decoder cannot read
            }
        }
        try {
            Genl.familyId(reply, "SMC_GEN_NETLINK");
        } catch (NetlinkException | IllegalArgumentException declared) {
            // no family id in it
        }
    }

    /** Reads every attribute every way a decoder might, nesting as deep as the bytes go. */
    private static void walk(Attrs attrs, int depth) {
        for (Attr a : attrs.list()) {
            a.string();
            for (Runnable read : List.<Runnable>of(a::u8, a::u16, a::u32, a::u64, a::uint)) {
                try {
                    read.run();
                } catch (IllegalArgumentException declared) {
                    // too short for that width
                }
            }
            if (depth < 8) {
                try {
                    walk(a.nested(), depth + 1);
                } catch (IllegalArgumentException declared) {
                    // not a nest
                }
            }
        }
    }
}
