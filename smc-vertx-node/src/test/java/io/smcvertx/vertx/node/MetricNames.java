package io.smcvertx.vertx.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a scrape really holds, and those the monitoring files under deploy/monitoring ask for. */
final class MetricNames {

    /** A metric name as PromQL writes it; recording rules ({@code smcvertx:...}) have a colon and do not match. */
    private static final Pattern NAME = Pattern.compile("\\bsmcvertx_[a-z0-9_]+");

    private MetricNames() {
    }

    /** deploy/monitoring, from the module directory surefire and the lab harness run in (or the repository root). */
    static Path monitoring() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path m = p.resolve("deploy/monitoring");
            if (Files.isDirectory(m)) {
                return m;
            }
        }
        throw new IllegalStateException("no deploy/monitoring above " + here);
    }

    /** Every smcvertx_* name in the dashboard and the alert rules. */
    static Set<String> used() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path f : new Path[] {monitoring().resolve("grafana/smc-vertx-dashboard.json"),
                monitoring().resolve("prometheus/smc-vertx-rules.yml")}) {
            Matcher m = NAME.matcher(Files.readString(f));
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** The names of the samples in Prometheus text (comments skipped). */
    static Set<String> exported(String scrape) {
        Set<String> out = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_'
                    || line.charAt(end) == ':')) {
                end++;
            }
            out.add(line.substring(0, end));
        }
        return out;
    }
}
