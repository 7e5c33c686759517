package io.smcvertx.transport.internal.netlink;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.Errno;

/**
 * The kernel refused a netlink request. Carries the errno like any failed call of this module,
 * plus the kernel's own explanation (extended ack) and, where we know better, a sentence a
 * person can act on ({@link #hint()}).
 */
public final class NetlinkException extends SmcNativeException {

    private final String extack;
    private final String hint;

    public NetlinkException(String operation, int errno, String extack, String hint) {
        super(operation, errno, Errno.name(errno), Errno.description(errno));
        this.extack = extack;
        this.hint = hint;
    }

    /** The kernel's extended-ack text, or {@code null} when it sent none. */
    public String extack() {
        return extack;
    }

    /** What to do about it, or {@code null}. */
    public String hint() {
        return hint;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (hint != null) {
            sb.append(syscall()).append(": ").append(hint).append(" [").append(errnoName()).append(']');
        } else {
            sb.append(super.getMessage());
        }
        if (extack != null && !extack.isEmpty()) {
            sb.append(" (kernel: ").append(extack).append(')');
        }
        return sb.toString();
    }
}
