package io.smcvertx.transport.internal.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Netlink replies captured from a real 6.12 kernel by src/test/lab/capture-fixtures.sh, with
 * the facts an independent observer (python, fstat) recorded beside each one. The top-level set
 * comes from an amd64 kernel (little-endian); {@code s390x/*} from an IBM Z kernel (big-endian),
 * whose sidecars say {@code "byteorder": "big"}. A reply is always decoded in the order its
 * sidecar names, never in the order of the machine running the test.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".bin")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name + ".bin");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String meta(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A numeric field of the fixture's JSON sidecar (flat objects only, which is all we write). */
    public static long number(String name, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\\s*(-?\\d+)").matcher(meta(name));
        if (!m.find()) {
            throw new IllegalStateException(name + ".json has no number " + key);
        }
        return Long.parseLong(m.group(1));
    }

    /** A string field of the fixture's JSON sidecar. */
    public static String metaString(String name, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\\s*\"([^\"]*)\"").matcher(meta(name));
        if (!m.find()) {
            throw new IllegalStateException(name + ".json has no string " + key);
        }
        return m.group(1);
    }

    /** The byte order of the kernel that sent the reply: big-endian where the sidecar says so, else little-endian. */
    public static ByteOrder order(String name) {
        Matcher m = Pattern.compile("\"byteorder\":\\s*\"(big|little)\"").matcher(meta(name));
        return m.find() && m.group(1).equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    public static int seq(String name) {
        return (int) number(name, "seq");
    }

    /** The fixture as one collector run would see it: every message of the reply. */
    public static List<NlMsg> reply(String name, boolean dump, java.util.function.BiFunction<Integer, String, NetlinkException> map)
            throws NetlinkException {
        NetlinkSocket.ReplyCollector c = new NetlinkSocket.ReplyCollector(name, seq(name), dump, map, order(name));
        c.accept(bytes(name));
        if (!c.complete()) {
            throw new IllegalStateException(name + " did not end with DONE/ACK");
        }
        return c.messages();
    }

    public static NetlinkException plain(int errno, String extack) {
        return new NetlinkException("test", errno, extack, null);
    }
}
