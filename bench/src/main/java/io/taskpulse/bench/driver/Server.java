package io.taskpulse.bench.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro process with taskpulse.war at / and bench-baselines.war at /bench-baselines, as an operator
 * starts it, on PostgreSQL. Its log goes to bench/target/payara-PORT.log. Also reads what only the process
 * itself can tell: RSS and CPU time from /proc, heap from GET /metrics.
 */
final class Server implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private Server(Process process, int port, Path log, HttpClient http) {
        this.process = process;
        this.port = port;
        this.http = http;
        Thread pump = new Thread(() -> pump(log), "payara-log");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(
                new IllegalStateException("Payara exited with " + process.exitValue() + "; see " + log)));
    }

    /** With the given database settings and JVM options; without the baselines when {@code baselinesWar} is null. */
    static Server start(Path payaraJar, Path taskpulseWar, Path baselinesWar, Path target, String xmx, HttpClient http,
                        List<String> databaseSettings) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + xmx, "-Djava.io.tmpdir=" + target));
        command.addAll(databaseSettings);
        command.addAll(List.of(
                "-Dtaskpulse.demo=false",
                // every benchmark client comes from 127.0.0.1: lift the per-address cap far above N
                "-Dtaskpulse.websocket.per-address=1000000",
                "-jar", payaraJar.toString(),
                "--deploy", taskpulseWar.toString(), "--contextroot", "/"));
        if (baselinesWar != null) {
            command.addAll(List.of("--deploy", baselinesWar + ":bench-baselines"));
        }
        command.addAll(List.of("--port", String.valueOf(port), "--nohazelcast"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new Server(process, port, target.resolve("payara-" + port + ".log"), http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Server awaitReady() {
        ready.orTimeout(240, TimeUnit.SECONDS).join();
        return this;
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size in bytes, from /proc/PID/status (VmRSS). */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** User + system CPU time in clock ticks (1/100 s on Linux), from /proc/PID/stat. */
    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        } catch (IOException e) {
            return -1;
        }
    }

    /** A full GC in the server (jcmd), so that heap readings compare live data, not garbage. */
    void gc() {
        jcmd(ProcessBuilder.Redirect.DISCARD, "GC.run");
    }

    /**
     * The server's live objects by class (jcmd GC.class_histogram, which also runs a full GC), first lines only:
     * the evidence behind the heap-per-socket figure, for whoever profiles it.
     *
     * @return the bytes of every live object (the histogram's total), or NaN if jcmd printed none (the sweep then
     *         shows its heap ratio as NaN, missed)
     */
    double classHistogram(Path file, int lines) {
        Path full = file.resolveSibling(file.getFileName() + ".full");
        jcmd(ProcessBuilder.Redirect.to(full.toFile()), "GC.class_histogram");
        try {
            List<String> all = Files.readAllLines(full);
            Files.write(file, all.subList(0, Math.min(all.size(), lines + 3)));
            Files.delete(full);
            // the last line: "Total <instances> <bytes>", every live object after the histogram's full GC
            String[] total = all.isEmpty() ? new String[0] : all.get(all.size() - 1).trim().split("\\s+");
            return total.length == 3 && total[0].equals("Total") ? Long.parseLong(total[2]) : Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void jcmd(ProcessBuilder.Redirect output, String command) {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        try {
            new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), command)
                    .redirectErrorStream(true).redirectOutput(output)
                    .start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET /metrics, as name{labels} → value. */
    Map<String, Double> metrics() {
        try {
            String body = http.send(HttpRequest.newBuilder(http("/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> values = new HashMap<>();
            for (String line : body.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException ignored) {
                    // a value we don't read ("NaN" is parsed; anything else is skipped)
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private void pump(Path log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
