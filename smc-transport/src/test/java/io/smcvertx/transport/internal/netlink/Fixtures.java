package io.smcvertx.transport.internal.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Netlink replies captured from a real 6.12 kernel by src/test/lab/capture-fixtures.sh, with
 * the facts an independent observer (python, fstat) recorded beside each one.
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

    public static int seq(String name) {
        return (int) number(name, "seq");
    }

    /** The fixture as one collector run would see it: every message of the reply. */
    public static List<NlMsg> reply(String name, boolean dump, java.util.function.BiFunction<Integer, String, NetlinkException> map)
            throws NetlinkException {
        NetlinkSocket.ReplyCollector c = new NetlinkSocket.ReplyCollector(name, seq(name), dump, map);
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
