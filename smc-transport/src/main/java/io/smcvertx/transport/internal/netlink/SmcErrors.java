package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.internal.ffm.Errno;
import java.util.function.BiFunction;

/** Turns the errno of an SMC netlink command into a sentence a person can act on. */
public final class SmcErrors {

    public static final String NEEDS_CAP_NET_ADMIN = "needs CAP_NET_ADMIN (run as root or grant the capability)";
    public static final String SEID_ONLY_ON_IBM_Z = "the SEID exists only on IBM Z (the kernel refuses SEID commands elsewhere)";

    private SmcErrors() {
    }

    /** What kind of object a command touches; decides the wording of ENOENT/EEXIST. */
    public enum Subject { PNET, UEID, SEID, HS_LIMITATION, READ }

    /**
     * A mapper for one command. When the kernel explains itself (extended ack), its text is
     * shown instead of our guess, except for permission errors.
     *
     * @param operation the command in operator words, e.g. "pnet add"
     * @param subject   what it touches
     * @param entry     the entry named in ENOENT/EEXIST messages, e.g. "PNET ID NET1", or null
     */
    public static BiFunction<Integer, String, NetlinkException> mapper(String operation, Subject subject, String entry) {
        return (errno, extack) -> new NetlinkException(operation, errno, extack,
                extack == null || errno == 1 || errno == 13 ? hint(subject, entry, errno) : null);
    }

    static String hint(Subject subject, String entry, int errno) {
        String what = entry != null ? entry : "the entry";
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> NEEDS_CAP_NET_ADMIN;
            case Errno.EOPNOTSUPP -> subject == Subject.SEID ? SEID_ONLY_ON_IBM_Z : null;
            case Errno.ENOENT -> switch (subject) {
                case SEID -> "the SEID cannot be disabled while no UEID is configured (add a UEID first)";
                case PNET -> what + " not found (or its interface/device does not exist)";
                default -> what + " not found";
            };
            case Errno.EEXIST -> subject == Subject.PNET
                    ? what + ": the interface or device port already has a PNET ID"
                    : what + " already exists";
            case Errno.ERANGE -> subject == Subject.UEID
                    ? "the UEID table is full (at most 4 per host)" : null;
            case Errno.EINVAL -> "the kernel rejected " + what + " as invalid";
            case Errno.ENODEV -> subject == Subject.PNET ? what + ": no such interface or device" : null;
            default -> null;
        };
    }
}
