package io.smcvertx.cluster;

import io.smcvertx.transport.system.CgroupPattern;
import io.smcvertx.transport.system.PnetEntry;
import io.smcvertx.transport.system.Ueid;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The desired SMC configuration of the whole fleet, one revision of it. An instance is always
 * valid: the constructor checks it as a whole ({@link FleetConfigValidator}) and throws
 * {@link ConfigValidationException} listing every error with its field, including conflicts
 * that only show on a host matched by several rules.
 *
 * <p>The SEID itself is derived from the hardware and never part of the configuration; only
 * whether the kernel uses it can be chosen, and only where it exists (IBM Z).
 *
 * @param revision            1, 2, 3...; a revision is published on top of the one before it
 * @param pnet                software PNET table rows with the hosts that get them
 * @param ueids               UEIDs with the hosts that get them; at most 4 reach any host
 * @param seidEnabled         whether to use the SEID where one exists; empty leaves it alone
 * @param handshakeLimitation the listener-side handshake limitation; empty leaves it alone
 * @param sysctls             {@code net.smc.*} sysctls by full name (e.g. {@code net.smc.wmem})
 * @param comment             free text for operators (who changed what, and why)
 * @param transparent         cgroup patterns whose unmodified processes get SMC sockets (BPF), with their hosts
 */
public record FleetConfig(long revision, List<PnetRule> pnet, List<UeidRule> ueids, Optional<Boolean> seidEnabled,
        Optional<Boolean> handshakeLimitation, Map<String, String> sysctls, String comment,
        List<TransparentRule> transparent) {

    /** The sysctl prefix every name in {@link #sysctls()} carries. */
    public static final String SYSCTL_PREFIX = "net.smc.";

    public FleetConfig {
        Objects.requireNonNull(pnet, "`pnet` must not be `null`");
        Objects.requireNonNull(ueids, "`ueids` must not be `null`");
        Objects.requireNonNull(seidEnabled, "`seidEnabled` must not be `null`");
        Objects.requireNonNull(handshakeLimitation, "`handshakeLimitation` must not be `null`");
        Objects.requireNonNull(sysctls, "`sysctls` must not be `null`");
        comment = comment == null ? "" : comment;
        Objects.requireNonNull(transparent, "`transparent` must not be `null`");
        pnet = List.copyOf(pnet);
        ueids = List.copyOf(ueids);
        sysctls = Map.copyOf(new TreeMap<>(sysctls));
        transparent = List.copyOf(transparent);
        List<FieldError> errors = FleetConfigValidator.validate(revision, pnet, ueids, sysctls, comment, transparent);
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
    }

    /** A configuration without a {@code transparent} section. */
    public FleetConfig(long revision, List<PnetRule> pnet, List<UeidRule> ueids, Optional<Boolean> seidEnabled,
            Optional<Boolean> handshakeLimitation, Map<String, String> sysctls, String comment) {
        this(revision, pnet, ueids, seidEnabled, handshakeLimitation, sysctls, comment, List.of());
    }

    public static Builder builder(long revision) {
        return new Builder(revision);
    }

    /** The same content as another revision number (to publish it on top of the current one). */
    public FleetConfig withRevision(long newRevision) {
        return new FleetConfig(newRevision, pnet, ueids, seidEnabled, handshakeLimitation, sysctls, comment, transparent);
    }

    /** What this configuration asks of one host. */
    public HostSlice sliceFor(HostIdentity host) {
        Set<PnetEntry> p = new LinkedHashSet<>();
        for (PnetRule r : pnet) {
            if (r.hosts().matches(host)) {
                // the kernel lists an interface and a device of one ID as two rows: compare like with like
                PnetEntry e = r.entry();
                e.ethName().ifPresent(n -> p.add(new PnetEntry(e.pnetId(), Optional.of(n), Optional.empty(), 0)));
                e.deviceName().ifPresent(d -> p.add(new PnetEntry(e.pnetId(), Optional.empty(), Optional.of(d),
                        e.devicePort())));
            }
        }
        Set<Ueid> u = new LinkedHashSet<>();
        for (UeidRule r : ueids) {
            if (r.hosts().matches(host)) {
                u.add(r.ueid());
            }
        }
        Map<String, String> s = new TreeMap<>();
        sysctls.forEach((k, v) -> s.put(k.substring(SYSCTL_PREFIX.length()), v));
        Set<CgroupPattern> t = new LinkedHashSet<>();
        for (TransparentRule r : transparent) {
            if (r.hosts().matches(host)) {
                t.add(r.cgroup());
            }
        }
        return new HostSlice(revision, p, u, seidEnabled, handshakeLimitation, s, t);
    }

    /** Builds a configuration programmatically; {@link #build()} validates. */
    public static final class Builder {
        private final long revision;
        private final List<PnetRule> pnet = new ArrayList<>();
        private final List<UeidRule> ueids = new ArrayList<>();
        private Optional<Boolean> seidEnabled = Optional.empty();
        private Optional<Boolean> handshakeLimitation = Optional.empty();
        private final Map<String, String> sysctls = new TreeMap<>();
        private final List<TransparentRule> transparent = new ArrayList<>();
        private String comment = "";

        private Builder(long revision) {
            this.revision = revision;
        }

        public Builder pnet(PnetEntry entry, HostSelector hosts) {
            pnet.add(new PnetRule(entry, hosts));
            return this;
        }

        public Builder pnet(PnetEntry entry) {
            return pnet(entry, HostSelector.ALL);
        }

        public Builder ueid(String ueid, HostSelector hosts) {
            ueids.add(new UeidRule(new Ueid(ueid), hosts));
            return this;
        }

        public Builder ueid(String ueid) {
            return ueid(ueid, HostSelector.ALL);
        }

        public Builder seidEnabled(boolean enabled) {
            seidEnabled = Optional.of(enabled);
            return this;
        }

        public Builder handshakeLimitation(boolean enabled) {
            handshakeLimitation = Optional.of(enabled);
            return this;
        }

        public Builder sysctl(String fullName, String value) {
            sysctls.put(fullName, value);
            return this;
        }

        /** Processes in cgroups matching {@code cgroup} on these hosts get SMC sockets (transparent SMC). */
        public Builder transparent(String cgroup, HostSelector hosts) {
            transparent.add(new TransparentRule(new CgroupPattern(cgroup), hosts));
            return this;
        }

        public Builder transparent(String cgroup) {
            return transparent(cgroup, HostSelector.ALL);
        }

        public Builder comment(String text) {
            comment = text;
            return this;
        }

        public FleetConfig build() {
            return new FleetConfig(revision, pnet, ueids, seidEnabled, handshakeLimitation, sysctls, comment, transparent);
        }
    }
}
