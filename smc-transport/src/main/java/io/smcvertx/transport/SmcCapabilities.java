package io.smcvertx.transport;

import java.util.Objects;

/**
 * What this kernel offers for SMC, as found by {@link Smc} once per JVM. Each fact says how it
 * was found, and {@link State#UNKNOWN} is used, with the reason, where nothing readable by this
 * process can tell: a guess is never reported as a fact.
 *
 * @param kernelRelease {@code uname -r}, e.g. {@code 6.12.117+deb12-amd64}
 * @param afSmc whether {@code socket(AF_SMC, SOCK_STREAM, 0)} succeeds
 * @param ipprotoSmc whether {@code socket(AF_INET, SOCK_STREAM, IPPROTO_SMC)} succeeds (6.11+)
 * @param ismDevice whether an ISM PCI device (IBM Z) is bound to the {@code ism} driver
 * @param loopbackIsm whether the kernel's software loopback-ISM device (6.10+, {@code CONFIG_SMC_LO}) exists
 * @param smcrDevice whether an RDMA device with an Ethernet (RoCE) port exists, the kind SMC-R uses
 * @param ueid whether at least one user-defined EID is configured (SMC-Dv2 off IBM Z and SMC-Rv2 need one)
 */
public record SmcCapabilities(
        String kernelRelease, Fact afSmc, Fact ipprotoSmc, Fact ismDevice, Fact loopbackIsm, Fact smcrDevice, Fact ueid) {

    /** Whether a fact holds. */
    public enum State { YES, NO, UNKNOWN }

    /**
     * One finding and the evidence for it, e.g. {@code YES} / "socket(AF_SMC) succeeded", or
     * {@code NO} / "socket(AF_SMC) failed: EAFNOSUPPORT (97, ...)".
     */
    public record Fact(State state, String evidence) {
        public Fact {
            Objects.requireNonNull(state, "`state` must not be `null`");
            Objects.requireNonNull(evidence, "`evidence` must not be `null`");
        }

        public static Fact yes(String evidence) {
            return new Fact(State.YES, evidence);
        }

        public static Fact no(String evidence) {
            return new Fact(State.NO, evidence);
        }

        public static Fact unknown(String why) {
            return new Fact(State.UNKNOWN, why);
        }

        public boolean isYes() {
            return state == State.YES;
        }

        @Override
        public String toString() {
            return state + " (" + evidence + ")";
        }
    }

    public SmcCapabilities {
        Objects.requireNonNull(kernelRelease, "`kernelRelease` must not be `null`");
        Objects.requireNonNull(afSmc, "`afSmc` must not be `null`");
        Objects.requireNonNull(ipprotoSmc, "`ipprotoSmc` must not be `null`");
        Objects.requireNonNull(ismDevice, "`ismDevice` must not be `null`");
        Objects.requireNonNull(loopbackIsm, "`loopbackIsm` must not be `null`");
        Objects.requireNonNull(smcrDevice, "`smcrDevice` must not be `null`");
        Objects.requireNonNull(ueid, "`ueid` must not be `null`");
    }

    /** Whether {@code AF_SMC} sockets can be made. */
    public boolean afSmcUsable() {
        return afSmc.isYes();
    }

    /** Whether {@code IPPROTO_SMC} sockets can be made (Linux 6.11+). */
    public boolean ipprotoSmcUsable() {
        return ipprotoSmc.isYes();
    }

    /** Whether an SMC-D device is known to exist: ISM or loopback-ISM. */
    public boolean smcdPresent() {
        return ismDevice.isYes() || loopbackIsm.isYes();
    }

    /** Whether an RDMA device of the kind SMC-R uses (RoCE) is known to exist. */
    public boolean smcrPresent() {
        return smcrDevice.isYes();
    }

    @Override
    public String toString() {
        return "SmcCapabilities[kernel " + kernelRelease + ", AF_SMC " + afSmc + ", IPPROTO_SMC " + ipprotoSmc
                + ", ISM " + ismDevice + ", loopback-ISM " + loopbackIsm + ", SMC-R device " + smcrDevice
                + ", UEID " + ueid + "]";
    }
}
