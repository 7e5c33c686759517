package io.smcvertx.cli;

import io.smcvertx.transport.doctor.DoctorReport;
import io.smcvertx.transport.doctor.Finding;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code smcctl doctor} and {@code smcctl cluster doctor} print reports: text and JSON. */
public final class DoctorText {

    private DoctorText() {
    }

    /** One host's report: a line per finding, its evidence and fix indented below. */
    public static void print(PrintWriter out, DoctorReport r) {
        out.println("smcctl doctor: host " + r.host() + ", kernel " + r.kernelRelease() + ", " + r.at());
        for (Finding f : r.findings()) {
            out.printf("%-4s %-20s %-18s %s%n", f.status(), f.check(), f.subject(), f.summary());
            out.println("     evidence: " + f.evidence());
            f.fix().ifPresent(x -> out.println("     fix: " + x));
        }
        out.println("summary: " + r.summary() + (r.failed() ? " -> exit " + ExitCodes.DOCTOR_FAILED : ""));
    }

    /** Many hosts: one row per host, then every finding that is not OK or INFO, by host. */
    public static void printTable(PrintWriter out, Map<String, DoctorReport> reports) {
        out.printf("%-20s %-26s %-5s %-4s %-4s %-4s %s%n", "HOST", "KERNEL", "WORST", "OK", "WARN", "FAIL", "CHECKED AT");
        for (DoctorReport r : reports.values()) {
            out.printf("%-20s %-26s %-5s %-4d %-4d %-4d %s%n", r.host(), r.kernelRelease(), r.worst(),
                    r.count(Finding.Status.OK), r.count(Finding.Status.WARN), r.count(Finding.Status.FAIL), r.at());
        }
        if (reports.isEmpty()) {
            out.println("(no node has published a doctor report yet: nodes publish theirs when clusterConfig is enabled)");
        }
        for (DoctorReport r : reports.values()) {
            for (Finding f : r.findings()) {
                if (f.status() == Finding.Status.WARN || f.status() == Finding.Status.FAIL) {
                    out.printf("%-20s %-4s %-20s %-18s %s%n", r.host(), f.status(), f.check(), f.subject(), f.summary());
                    f.fix().ifPresent(x -> out.printf("%-20s      fix: %s%n", "", x));
                }
            }
        }
    }

    /** The report as JSON (stable keys). */
    public static String json(DoctorReport r) {
        return Json.write(map(r));
    }

    /** Many reports as one JSON object keyed by host. */
    public static String json(Map<String, DoctorReport> reports) {
        Map<String, Object> m = new LinkedHashMap<>();
        reports.forEach((h, r) -> m.put(h, map(r)));
        return Json.write(m);
    }

    private static Map<String, Object> map(DoctorReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("kernel", r.kernelRelease());
        m.put("at", r.at().toString());
        m.put("worst", r.worst().name());
        m.put("failed", r.failed());
        List<Map<String, Object>> fs = r.findings().stream().map(f -> {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("check", f.check());
            fm.put("status", f.status().name());
            fm.put("subject", f.subject());
            fm.put("summary", f.summary());
            fm.put("evidence", f.evidence());
            fm.put("fix", f.fix());
            return fm;
        }).toList();
        m.put("findings", fs);
        return m;
    }
}
