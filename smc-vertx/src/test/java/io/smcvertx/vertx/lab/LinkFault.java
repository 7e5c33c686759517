package io.smcvertx.vertx.lab;

import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.SmcrLinkGroup;
import io.smcvertx.transport.system.SmcrLinkGroupChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The two-guest SMC-R link fault leg (deploy/lab/guest/linkfault-2vm.sh): a JVM sender streams a
 * seeded pseudo-random stream over SMC-R to a JVM receiver in the other guest, and the receiver's
 * guest takes the link away in the middle (netdev down/up, or the rxe device deleted and added
 * again). The verdict is the checksum or the error at both ends, never a timing.
 *
 * <p>{@code LinkFault receive HOST PORT DIR MARK_BYTES STALL_S} runs {@link LinkFaultReceiver};
 * {@code LinkFault send HOST PORT DIR TRANSFERS BYTES RATE_BYTES_PER_S GO_URL_PREFIX} runs
 * {@link LinkFaultSender}. Both exit 0 only when every transfer ended as the issue allows.
 *
 * <p>Wire format of one transfer, sender to receiver: a 24-byte header (int magic {@code LFT1},
 * int transfer number, long length, long seed), then {@code length} bytes of the stream; the
 * receiver answers with the SHA-256 of what it received (32 bytes) and closes.
 */
public final class LinkFault {

    static final int MAGIC = 0x4c465431; // "LFT1"
    static final int HEADER = 24;
    /** A multiple of 4: {@link Random#nextBytes} drops the rest of its last int, so both ends must cut the stream alike. */
    static final int CHUNK = 64 * 1024;

    private LinkFault() {
    }

    public static void main(String[] args) {
        int rc = 1;
        try {
            rc = switch (args.length == 0 ? "" : args[0]) {
                case "receive" -> LinkFaultReceiver.run(args);
                case "send" -> LinkFaultSender.run(args);
                default -> {
                    System.out.println("usage: LinkFault receive HOST PORT DIR MARK_BYTES STALL_S | send HOST PORT DIR TRANSFERS BYTES RATE GO_URL");
                    yield 2;
                }
            };
        } catch (Throwable t) {
            // Vert.x's threads would keep the JVM (and the guest) up until the run's timeout
            System.out.println("linkfault: FAIL: " + t);
            t.printStackTrace(System.out);
        }
        System.out.println("linkfault: rc=" + rc);
        System.exit(rc);
    }

    /** The stream both ends derive from the seed, chunk by chunk. */
    static final class Stream {
        private final Random random;
        private final long length;
        private long produced;

        Stream(long seed, long length) {
            this.random = new Random(seed);
            this.length = length;
        }

        boolean done() {
            return produced >= length;
        }

        byte[] next() {
            byte[] b = new byte[(int) Math.min(CHUNK, length - produced)];
            random.nextBytes(b);
            produced += b.length;
            return b;
        }

        /** The SHA-256 of the whole stream (the receiver's expectation; run it off the event loop). */
        static byte[] digest(long seed, long length) {
            MessageDigest md = sha256();
            Stream s = new Stream(seed, length);
            while (!s.done()) {
                md.update(s.next());
            }
            return md.digest();
        }
    }

    static Buffer header(int transfer, long length, long seed) {
        return Buffer.buffer(HEADER).appendInt(MAGIC).appendInt(transfer).appendLong(length).appendLong(seed);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The guest's uptime in seconds: the clock dmesg stamps its lines with, so both can be read side by side. */
    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String role, String line) {
        System.out.println("linkfault[" + role + "] up=" + uptime() + " " + line);
    }

    /** Writes a file whole or not at all: the guest script polls for it. */
    static void publish(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** SMC-R link groups by the kernel's generic netlink (blocking: never on an event loop). */
    static List<SmcrLinkGroup> linkGroups() {
        try {
            return SmcKernel.netlink().smcrLinkGroups();
        } catch (IOException e) {
            throw new IllegalStateException("SMC_NETLINK_GET_LGR_SMCR failed: " + e, e);
        }
    }

    /** The link group changes between two dumps, one line each, plus the same as JSON lines. */
    static List<String> changes(List<SmcrLinkGroup> before, List<SmcrLinkGroup> after) {
        return SmcrLinkGroupChange.between(before, after).stream().map(c -> c.kind() + ": " + c.text()).toList();
    }

    /** Dumps the link groups as {@code smcctl linkgroups} prints them, to the file and the console. */
    static void smcctlLinkGroups(String role, Path file) {
        String text;
        try {
            text = Lab.smcctl("linkgroups");
        } catch (Exception e) {
            text = "smcctl linkgroups failed: " + e + "\n";
        }
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            text += "(not written to " + file + ": " + e + ")\n";
        }
        log(role, "$ smcctl linkgroups > " + file.getFileName() + "\n" + text);
    }

    /** The one-line error a failed connection ends with (Netty's native exceptions carry the errno). */
    static String error(Throwable t) {
        return t == null ? "" : t.getClass().getName() + ": " + t.getMessage();
    }

    static JsonObject result(int transfer, String verdict) {
        return new JsonObject().put("transfer", transfer).put("verdict", verdict);
    }
}
