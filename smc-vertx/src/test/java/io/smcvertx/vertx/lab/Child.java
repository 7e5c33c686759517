package io.smcvertx.vertx.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program no one here wrote (curl, python3) as a child process: stdin to write, stdout read
 * line by line with a timeout, stderr merged into stdout so a failure shows why.
 */
public final class Child implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final BufferedReader out;
    private final StringBuilder seen = new StringBuilder();

    private Child(List<String> command) throws IOException {
        this.command = command;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static Child start(String... command) throws IOException {
        return new Child(List.of(command));
    }

    /** A python3 script given as text, with its arguments. */
    public static Child python(String script, Object... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return new Child(cmd);
    }

    /** The next line of output; fails after the lab timeout or at end of output. */
    public String readLine() throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(Lab.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException(this + " ended its output; it printed:\n" + seen);
        }
        seen.append(line).append('\n');
        return line;
    }

    /** The next line, which must start with {@code word + " "}; returns the rest. */
    public String expect(String word) throws Exception {
        String line = readLine();
        if (!line.startsWith(word + " ")) {
            throw new AssertionError(this + ": expected a line `" + word + " ...`, got: " + line + "\nso far:\n" + seen);
        }
        return line.substring(word.length() + 1);
    }

    public void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** Everything left on stdout once the process ends, and its exit status. */
    public Result finish() throws Exception {
        closeStdin();
        String rest = CompletableFuture.supplyAsync(() -> out.lines().collect(java.util.stream.Collectors.joining("\n")))
                .get(Lab.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!process.waitFor(Lab.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(this + " did not exit");
        }
        return new Result(process.exitValue(), rest);
    }

    /** How a child ended. */
    public record Result(int status, String output) {
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return String.join(" ", command.size() > 3 && command.get(1).equals("-c")
                ? List.of(command.get(0), "-c <script>", String.join(" ", command.subList(3, command.size())))
                : command);
    }
}
