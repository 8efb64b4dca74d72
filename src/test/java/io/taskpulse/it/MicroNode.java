package io.taskpulse.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TaskPulse server as an operator runs it: {@code java -jar payara-micro.jar --deploy taskpulse.war
 * --prebootcommandfile src/main/payara/preboot.asadmin} (see docs/operations.md), on a
 * free port, against the shared database the ITs use. Its log goes to target/node-PORT.log (a restart on the
 * same port appends).
 */
final class MicroNode implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private MicroNode(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        Thread pump = new Thread(() -> pump(log), "node-" + port + "-log");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(
                new IllegalStateException("node on port " + port + " exited with " + process.exitValue() + "; see " + log)));
    }

    static MicroNode start(String... systemProperties) {
        return start(freePort(), systemProperties);
    }

    /** On a given port: a restarted node comes back where its clients look for it. */
    static MicroNode start(int port, String... systemProperties) {
        return start(port, Path.of(System.getProperty("taskpulse.war")), List.of(), systemProperties);
    }

    /**
     * Another WAR (e.g. with test-only classes) and extra Payara Micro options, such as
     * {@code --postbootcommandfile} with commands that set up the server's realm.
     */
    static MicroNode start(int port, Path war, List<String> microOptions, String... systemProperties) {
        String target = System.getProperty("it.tmp", "target");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-Djava.io.tmpdir=" + target));
        command.addAll(List.of(systemProperties));
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"),
                "--deploy", war.toString(), "--contextroot", "/",
                "--port", String.valueOf(port), "--nohazelcast",
                "--prebootcommandfile", Path.of("src", "main", "payara", "preboot.asadmin").toAbsolutePath().toString()));
        command.addAll(microOptions);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new MicroNode(process, port, Path.of(target, "node-" + port + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until Payara says the application is deployed and ready. */
    MicroNode awaitReady() {
        ready.orTimeout(180, TimeUnit.SECONDS).join();
        return this;
    }

    int port() {
        return port;
    }

    /** The server's process id, for what only the operating system or the JDK's tools tell (jcmd, /proc). */
    long pid() {
        return process.pid();
    }

    /** Where the server's console output goes (appended across restarts on the same port). */
    Path log() {
        return log;
    }

    URI base() {
        return URI.create("http://localhost:" + port + "/");
    }

    /** Gone at once, like kill -9. */
    void kill() {
        process.destroyForcibly();
        process.onExit().orTimeout(60, TimeUnit.SECONDS).join();
    }

    /** Stopped as an operator stops it (SIGTERM): Payara undeploys the application on its way down. */
    void stop() {
        process.destroy();
        process.onExit().orTimeout(90, TimeUnit.SECONDS).join();
    }

    /** Frozen (SIGSTOP): connections stay open, nothing answers. A hung server, as its clients see it. */
    void freeze() {
        signal("-STOP");
    }

    void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + signal + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            thaw();
            kill();
        }
    }

    private void pump(Path log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.println(line);
                if (line.contains("Payara Micro") && line.contains("ready in")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
