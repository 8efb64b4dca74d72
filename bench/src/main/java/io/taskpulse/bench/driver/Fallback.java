package io.taskpulse.bench.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The polling fallback under load: wrk (Debian package {@code wrk}) with its own connections and threads, as many
 * clients without WebSocket would poll. Reads wrk's summary: requests per second, latency percentiles
 * ({@code --latency}), and responses that were neither 2xx nor 3xx.
 */
final class Fallback {

    private static final Path WRK = Path.of("/usr/bin/wrk");

    /** What one wrk run measured. */
    static final class Run {
        final String label;
        double requestsPerSecond;
        String p50 = "–";
        String p99 = "–";
        long errors;
        double transferPerSecond;
        double queriesPerMinute;

        Run(String label) {
            this.label = label;
        }
    }

    private Fallback() {
    }

    static boolean available() {
        return Files.isExecutable(WRK);
    }

    static Run wrk(String label, URI url, int connections, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(WRK.toString(), "-t2", "-c" + connections, "-d" + seconds + "s",
                "--latency", "--timeout", "10s", url.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Run run = new Run(label);
        run.requestsPerSecond = number(output, "Requests/sec:\\s+([0-9.]+)");
        run.p50 = text(output, "\\s50%\\s+(\\S+)");
        run.p99 = text(output, "\\s99%\\s+(\\S+)");
        run.errors = (long) number(output, "Non-2xx or 3xx responses:\\s+([0-9]+)")
                + (long) number(output, "Socket errors:.*?timeout ([0-9]+)");
        run.transferPerSecond = bytes(text(output, "Transfer/sec:\\s+(\\S+)"));
        return run;
    }

    private static String text(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        return matcher.find() ? matcher.group(1) : "–";
    }

    private static double number(String output, String regex) {
        String value = text(output, regex);
        return value.equals("–") ? 0 : Double.parseDouble(value);
    }

    /** wrk's "1.23MB" and the like, in bytes. */
    private static double bytes(String value) {
        for (String unit : List.of("KB", "MB", "GB", "B")) {
            if (value.endsWith(unit)) {
                double factor = switch (unit) {
                    case "KB" -> 1024;
                    case "MB" -> 1024 * 1024;
                    case "GB" -> 1024.0 * 1024 * 1024;
                    default -> 1;
                };
                return Double.parseDouble(value.substring(0, value.length() - unit.length())) * factor;
            }
        }
        return Double.NaN;
    }
}
