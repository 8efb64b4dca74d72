package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@link FeedChurnIT}'s churn for {@code -Dsoak.minutes=N} (skipped without it, so a plain {@code mvn verify} does not
 * run it), after a minute of warm-up. Once a minute it prints the server's live heap after a full GC, its threads and
 * open files; at the end these must be where they were after the warm-up, within bounds that noise stays inside but a
 * leak per connection does not (about 1,000 connections a minute on a loaded 2-core box), and every check of
 * {@link FeedChurnChecks} must hold as after the short churn.
 * <pre>
 * mvn -B -ntp verify -Dit.test=FeedSoakIT -Dsoak.minutes=60 -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class FeedSoakIT extends FeedChurnChecks {

    private static final Duration WARM_UP = Duration.ofSeconds(60);
    private static final Duration SAMPLE_EVERY = Duration.ofMinutes(1);
    /**
     * Live heap after a full GC may end this much above where it began: caches settling (Derby's page cache, JIT, pools).
     * A session's worth (a few KB) leaked per connection passes it within minutes, 400 bytes per connection within the
     * hour. Smaller leaks are caught by count instead: a class whose live objects grow by about one per connection.
     */
    private static final long HEAP_GROWTH_BYTES = 24L * 1024 * 1024;
    /**
     * Threads and open files come and go with the clients of the moment, and Payara's HTTP pool grows under load (from 101
     * to 127 threads in 12 minutes here, flat from the fourth); one leaked per connection adds ~1,000 a minute, one per
     * hundred connections 600 an hour.
     */
    private static final int THREADS_DRIFT = 75;
    private static final int OPEN_FILES_DRIFT = 150;
    /**
     * Left out of the count per connection: Derby's page cache holds more record headers as the history table grows,
     * with the writes (which go on as long as the connections do), up to its page limit. The heap bound still covers it.
     */
    private static final String GROWS_WITH_WRITES = "org.apache.derby.";

    /** "   12:     34567     1234560  java.lang.String (java.base@17)" */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    private final List<Sample> samples = new ArrayList<>();
    private Instant soakStarted;

    /**
     * One look at the server process: its live objects right after a full GC (jcmd GC.class_histogram forces one and
     * counts at the same safepoint, so no allocation slips in between), its threads by name and its open files.
     */
    record Sample(Duration at, Map<String, long[]> histogram, Map<String, Integer> threadNames, int openFiles,
                  long connections) {

        long liveBytes() {
            return histogram.values().stream().mapToLong(counts -> counts[1]).sum();
        }

        int threads() {
            return threadNames.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return String.format("%5d s: heap after GC %6.1f MB, %4d threads, %5d open files, %7d connections so far",
                    at.toSeconds(), liveBytes() / 1048576.0, threads(), openFiles, connections);
        }
    }

    @Override
    void assumeEnabled() {
        assumeTrue(minutes() > 0, "a soak runs only when asked: -Dsoak.minutes=N");
    }

    @Override
    void during(FeedChurn churn) {
        churn.run(WARM_UP, WARM_UP, () -> { });
        soakStarted = Instant.now();
        sample(churn);
        churn.run(Duration.ofMinutes(minutes()), SAMPLE_EVERY, () -> sample(churn));
        sample(churn);
    }

    @Test
    @Order(10)
    void serverHeapAfterGcThreadsAndOpenFilesStayFlat() {
        assertTrue(samples.size() >= 2, "the soak ended before a second sample (" + samples + "); "
                + "the feed broke after " + churn.brokenAfter());
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        long connections = last.connections() - first.connections();
        List<String> grew = new ArrayList<>();
        long heap = last.liveBytes() - first.liveBytes();
        if (heap > HEAP_GROWTH_BYTES) {
            grew.add(String.format("heap after GC grew by %.1f MB (bound %d MB): %d bytes per connection over %d connections",
                    heap / 1048576.0, HEAP_GROWTH_BYTES / 1048576, heap / Math.max(1, connections), connections));
        }
        // A cache or pool fills up and stops; a leak goes on: only a class that grew by about one object per connection
        // in the first half of the soak AND in the second counts.
        Sample middle = samples.get(samples.size() / 2);
        Set<String> firstHalf = perConnection(first, middle);
        List<String> perConnection = growers(first, last).stream()
                .filter(grower -> firstHalf.contains(grower.type()) && perConnection(middle, last).contains(grower.type()))
                .map(Grower::toString).toList();
        if (!perConnection.isEmpty()) {
            grew.add("live objects that grew by about one per connection (" + connections + ") in both halves of the soak: "
                    + perConnection);
        }
        if (Math.abs(last.threads() - first.threads()) > THREADS_DRIFT) {
            grew.add("threads went from " + first.threads() + " to " + last.threads() + " (bound +-" + THREADS_DRIFT
                    + "); by name, first " + first.threadNames() + ", last " + last.threadNames());
        }
        if (Math.abs(last.openFiles() - first.openFiles()) > OPEN_FILES_DRIFT) {
            grew.add("open files went from " + first.openFiles() + " to " + last.openFiles() + " (bound +-" + OPEN_FILES_DRIFT + ")");
        }
        assertTrue(grew.isEmpty(), () -> "over " + Duration.between(soakStarted, Instant.now()).toMinutes() + " min of churn "
                + String.join("; ", grew) + ". Samples:\n  "
                + samples.stream().map(Sample::toString).collect(Collectors.joining("\n  "))
                + "\nLive objects that grew most:\n  "
                + growers(first, last).stream().limit(10).map(Grower::toString).collect(Collectors.joining("\n  ")));
    }

    /** A class whose live objects grew between two samples. */
    record Grower(String type, long instances, long bytes) {

        @Override
        public String toString() {
            return String.format("%s %+d objects, %+d KB", type, instances, bytes / 1024);
        }
    }

    /** Classes whose live objects grew by at least 9 for every 10 connections between two samples. */
    private static Set<String> perConnection(Sample from, Sample to) {
        long connections = to.connections() - from.connections();
        return growers(from, to).stream().filter(grower -> !grower.type().startsWith(GROWS_WITH_WRITES))
                .filter(grower -> grower.instances() >= Math.max(100, connections * 9 / 10))
                .map(Grower::type).collect(Collectors.toSet());
    }

    /** Classes by how many bytes their live objects grew, most first. */
    private static List<Grower> growers(Sample first, Sample last) {
        List<Grower> growers = new ArrayList<>();
        last.histogram().forEach((type, counts) -> {
            long[] before = first.histogram().getOrDefault(type, new long[2]);
            if (counts[1] > before[1]) {
                growers.add(new Grower(type, counts[0] - before[0], counts[1] - before[1]));
            }
        });
        growers.sort(Comparator.comparingLong(Grower::bytes).reversed());
        return growers;
    }

    private void sample(FeedChurn churn) {
        long pid = node.pid();
        Map<String, long[]> histogram = new HashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.find()) {
                histogram.merge(row.group(3).strip(), new long[]{Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                        (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
            }
        }
        if (histogram.isEmpty()) {
            throw new IllegalStateException("no classes in jcmd " + pid + " GC.class_histogram");
        }
        Sample sample = new Sample(Duration.between(soakStarted, Instant.now()), histogram, threadNames(pid),
                openFiles(pid), churn.connections());
        samples.add(sample);
        System.out.println("soak " + sample + (samples.size() < 2 ? "" : "; grew most since the first sample: "
                + growers(samples.get(0), sample).stream().limit(4).map(Grower::toString).collect(Collectors.joining(", "))));
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + command + " did not answer within 60 s");
            }
            String text = out.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " exited with " + process.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("jcmd " + pid + " " + command + ": " + e, e);
        }
    }

    /** Threads by name, digits left out ("http-thread-pool::http-listener(12)" counts as "http-thread-pool::http-listener()"). */
    private static Map<String, Integer> threadNames(long pid) {
        Map<String, Integer> names = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.merge(Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", ""), 1, Integer::sum);
                } catch (IOException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static int openFiles(long pid) {
        try (Stream<Path> files = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long minutes() {
        String minutes = System.getProperty("soak.minutes", "").strip();
        return minutes.isEmpty() || minutes.startsWith("$") ? 0 : Long.parseLong(minutes);
    }
}
