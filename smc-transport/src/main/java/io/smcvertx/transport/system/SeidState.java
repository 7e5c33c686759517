package io.smcvertx.transport.system;

import java.util.Optional;

/**
 * The system EID as the kernel reports it. It is derived from the hardware (IBM Z machine type
 * and serial) and cannot be set by anyone; only its use can be switched on or off, and only
 * on s390, where the kernel also refuses to disable it while no UEID exists.
 *
 * @param seid    the SEID string, empty where the kernel reports none (every non-s390 host)
 * @param enabled whether the kernel offers it in handshakes
 */
public record SeidState(Optional<String> seid, boolean enabled) {
}
