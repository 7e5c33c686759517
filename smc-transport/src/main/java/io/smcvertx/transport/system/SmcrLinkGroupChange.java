package io.smcvertx.transport.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One difference between two SMC-R link group dumps ({@link SmcKernel#smcrLinkGroups()} taken at
 * two moments). The kernel sends no netlink notification when it takes a link down or terminates a
 * link group (its only trace is a rate-limited kernel log line), so comparing two dumps is how a
 * process notices what the kernel did in between: a link group gone (its connections were aborted),
 * a link removed, added or in another state.
 *
 * <pre>{@code
 * List<SmcrLinkGroup> before = kernel.smcrLinkGroups();
 * // ... a link fault ...
 * SmcrLinkGroupChange.between(before, kernel.smcrLinkGroups()).forEach(c -> System.out.println(c.text()));
 * }</pre>
 *
 * @param kind        what changed
 * @param linkGroupId the link group's id
 * @param linkId      the link's id for link changes, -1 for group changes
 * @param text        a line saying what changed, with the kernel's numbers
 */
public record SmcrLinkGroupChange(Kind kind, long linkGroupId, int linkId, String text) {

    /** What changed between the two dumps. */
    public enum Kind {
        /** A link group in the second dump only. */
        GROUP_ADDED,
        /** A link group in the first dump only: the kernel terminated (or freed) it. */
        GROUP_REMOVED,
        /** The group's type (SINGLE, SYMMETRIC, ...) or connection count differs. */
        GROUP_CHANGED,
        /** A link in the second dump only. */
        LINK_ADDED,
        /** A link in the first dump only. */
        LINK_REMOVED,
        /** A link whose state or connection count differs. */
        LINK_CHANGED
    }

    public SmcrLinkGroupChange {
        Objects.requireNonNull(kind, "`kind` must not be null");
        Objects.requireNonNull(text, "`text` must not be null");
    }

    /** The kernel's {@code enum smc_link_state} by number (net/smc/smc_core.h). */
    public static String linkStateName(int state) {
        return switch (state) {
            case 0 -> "UNUSED";
            case 1 -> "INACTIVE";
            case 2 -> "ACTIVATING";
            case 3 -> "ACTIVE";
            default -> "state " + state;
        };
    }

    /** The kernel's {@code enum smc_lgr_type} by number (net/smc/smc_core.h). */
    public static String groupTypeName(int type) {
        return switch (type) {
            case 0 -> "NONE";
            case 1 -> "SINGLE";
            case 2 -> "SYMMETRIC";
            case 3 -> "ASYMMETRIC_PEER";
            case 4 -> "ASYMMETRIC_LOCAL";
            default -> "type " + type;
        };
    }

    /**
     * What differs from {@code before} to {@code after}, groups in the order of the dumps (removed
     * and changed ones first, then added ones); empty when nothing did.
     */
    public static List<SmcrLinkGroupChange> between(List<SmcrLinkGroup> before, List<SmcrLinkGroup> after) {
        Objects.requireNonNull(before, "`before` must not be null");
        Objects.requireNonNull(after, "`after` must not be null");
        Map<Long, SmcrLinkGroup> next = new LinkedHashMap<>();
        after.forEach(g -> next.put(g.id(), g));
        List<SmcrLinkGroupChange> changes = new ArrayList<>();
        for (SmcrLinkGroup old : before) {
            SmcrLinkGroup now = next.remove(old.id());
            if (now == null) {
                changes.add(new SmcrLinkGroupChange(Kind.GROUP_REMOVED, old.id(), -1, String.format(
                        "lg %08x (%s) removed: it had %d connection(s) and %d link(s)", old.id(), old.role(),
                        old.connections(), old.links().size())));
            } else {
                compare(old, now, changes);
            }
        }
        for (SmcrLinkGroup g : next.values()) {
            changes.add(new SmcrLinkGroupChange(Kind.GROUP_ADDED, g.id(), -1, String.format(
                    "lg %08x (%s) added: %s, %d connection(s), %d link(s)", g.id(), g.role(), groupTypeName(g.type()),
                    g.connections(), g.links().size())));
        }
        return List.copyOf(changes);
    }

    private static void compare(SmcrLinkGroup old, SmcrLinkGroup now, List<SmcrLinkGroupChange> changes) {
        if (old.type() != now.type() || old.connections() != now.connections()) {
            String type = old.type() == now.type() ? groupTypeName(now.type())
                    : groupTypeName(old.type()) + " -> " + groupTypeName(now.type());
            changes.add(new SmcrLinkGroupChange(Kind.GROUP_CHANGED, old.id(), -1, String.format(
                    "lg %08x (%s): %s, connections %d -> %d", old.id(), old.role(), type, old.connections(), now.connections())));
        }
        Map<Integer, SmcrLink> links = new LinkedHashMap<>();
        now.links().forEach(l -> links.put(l.id(), l));
        for (SmcrLink l : old.links()) {
            SmcrLink n = links.remove(l.id());
            if (n == null) {
                changes.add(new SmcrLinkGroupChange(Kind.LINK_REMOVED, old.id(), l.id(), String.format(
                        "lg %08x link %d (%s/%d) removed", old.id(), l.id(), l.ibDevice(), l.ibPort())));
            } else if (n.state() != l.state() || n.connections() != l.connections()) {
                String state = l.state() == n.state() ? linkStateName(n.state())
                        : linkStateName(l.state()) + " -> " + linkStateName(n.state());
                changes.add(new SmcrLinkGroupChange(Kind.LINK_CHANGED, old.id(), l.id(), String.format(
                        "lg %08x link %d (%s/%d): %s, connections %d -> %d", old.id(), l.id(), l.ibDevice(),
                        l.ibPort(), state, l.connections(), n.connections())));
            }
        }
        for (SmcrLink n : links.values()) {
            changes.add(new SmcrLinkGroupChange(Kind.LINK_ADDED, now.id(), n.id(), String.format(
                    "lg %08x link %d (%s/%d) added: %s", now.id(), n.id(), n.ibDevice(), n.ibPort(),
                    linkStateName(n.state()))));
        }
    }
}
