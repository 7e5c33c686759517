package io.smcvertx.cli;

import io.smcvertx.transport.system.SmcKernel;
import java.io.PrintWriter;
import java.io.StringWriter;

/** smcctl run in-process against a kernel (real or fake), with what it printed and its exit code. */
final class Cli {

    record Result(int rc, String out, String err) {
    }

    private Cli() {
    }

    static Result run(SmcKernel kernel, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = SmcCtl.commandLine(() -> kernel, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(rc, out.toString(), err.toString());
    }
}
