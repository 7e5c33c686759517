package io.smcvertx.cli;

import io.smcvertx.cli.cluster.ClusterCommand;
import io.smcvertx.transport.Smc;
import io.smcvertx.transport.system.SmcKernel;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smcctl}: smc-tools' vocabulary over our netlink clients. The root command holds what
 * every subcommand shares (the kernel handle, output, {@code --json}); subcommands reach it
 * through {@code @ParentCommand}. New subcommands (e.g. {@code cluster}) are added in
 * {@link #commandLine(Supplier, PrintWriter, PrintWriter)}.
 */
@Command(name = "smcctl", mixinStandardHelpOptions = true, version = "smcctl 0.1.0",
        description = "Inspect and configure Linux SMC (SMC-D, SMC-R) like smc-tools: PNET table, UEIDs, SEID, "
                + "devices, link groups, statistics, SMC sockets, connection checks, and SMC for unmodified programs (run).",
        footer = {"", ExitCodes.HELP, "", "Reads work for any user; writes need CAP_NET_ADMIN."},
        subcommands = {InfoCommand.class, PnetCommand.class, UeidCommand.class, SeidCommand.class,
            StatsCommand.class, DevicesCommand.class, LinkGroupsCommand.class, SsCommand.class,
            CheckCommand.class, SysctlCommand.class, DoctorCommand.class, ClusterCommand.class, RunCommand.class,
            TransparentCommand.class, CommandLine.HelpCommand.class})
public final class SmcCtl implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "Bound on each kernel round trip, e.g. 10s or 500ms (default: ${DEFAULT-VALUE}).",
            converter = DurationConverter.class, scope = CommandLine.ScopeType.INHERIT)
    Duration timeout;

    private final Supplier<SmcKernel> kernelFactory;
    private SmcKernel kernel;

    SmcCtl(Supplier<SmcKernel> kernelFactory) {
        this.kernelFactory = Objects.requireNonNull(kernelFactory, "`kernelFactory` must not be `null`");
    }

    /** The kernel handle, created on first use with the {@code --timeout} given. */
    SmcKernel kernel() {
        if (kernel == null) {
            kernel = kernelFactory.get();
        }
        return kernel;
    }

    Duration timeout() {
        return timeout;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    /**
     * The configured command line: exit codes mapped from failures, messages without stack
     * traces. Extra subcommands can be added to the returned instance with {@code addSubcommand}.
     */
    public static CommandLine commandLine(Supplier<SmcKernel> kernel, PrintWriter out, PrintWriter err) {
        SmcCtl root = new SmcCtl(kernel);
        CommandLine cl = new CommandLine(root);
        // `smcctl run CMD -x`: everything from CMD on belongs to CMD, options included
        cl.getSubcommands().get("run").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            int rc = ExitCodes.of(ex);
            String why = rc == ExitCodes.SMC_UNAVAILABLE ? unavailability(message(ex)) : "";
            line.getErr().println("smcctl " + String.join(" ", parse.originalArgs()) + ": " + message(ex) + why);
            line.getErr().flush();
            return rc;
        });
        return cl;
    }

    /**
     * Netlink can only say "family not found"; why this kernel has no SMC is the probe's finding,
     * with its evidence (the kernel's build config, the module tree), e.g. "kernel
     * 7.2.13+deb14-amd64 was built without CONFIG_SMC (CONFIG_DIBS is not set in /boot/config-...)".
     */
    static String unavailability(String shown) {
        return Smc.unavailability().map(Throwable::getMessage).filter(m -> !shown.contains(m))
                .map(m -> "\n  why: " + m).orElse("");
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m != null ? m : t.toString();
    }

    /** Keeps the JUL logger alive: the LogManager holds loggers weakly, and a collected one forgets its level. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    public static void main(String[] args) {
        // smcctl reports an unreachable member itself; Hazelcast's client INFO/WARNING lines
        // (lifecycle, connection retries) would bury that one line, so they are off unless asked for
        HAZELCAST_LOG.setLevel(Level.parse(System.getProperty("smcctl.hazelcast.log", "SEVERE")));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine[] holder = new CommandLine[1];
        holder[0] = commandLine(() -> SmcKernel.netlink(((SmcCtl) holder[0].getCommand()).timeout()), out, err);
        int rc = holder[0].execute(args);
        out.flush();
        err.flush();
        System.exit(rc);
    }

    /** Parses "10s", "500ms", "2m", plain seconds ("10") or an ISO-8601 duration. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            String s = v.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (s.matches("\\d+")) {
                    return Duration.ofSeconds(Long.parseLong(s));
                }
                if (s.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                }
                if (s.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
                }
                if (s.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
                }
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("must be like 10s, 500ms, 2m or 10 (seconds), got '" + v + "'");
            }
        }
    }
}
