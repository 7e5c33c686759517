package io.smcvertx.cli;

import io.smcvertx.transport.system.SmcKernel;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs several smcctl commands in one JVM (the lab starts a JVM in about a minute): each
 * argument is one command line; prints "rc=N" and the command's stderr per command.
 * SmcctlIT starts this as user nobody.
 */
public final class NobodyRunner {

    private NobodyRunner() {
    }

    public static void main(String[] commands) {
        for (String command : commands) {
            StringWriter err = new StringWriter();
            int rc = SmcCtl.commandLine(SmcKernel::netlink, new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true)).execute(command.split(" "));
            System.out.println(command + " rc=" + rc + " err=" + err.toString().replace('\n', ' '));
        }
    }
}
