package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format (0.0.4) scrape, parsed strictly: a malformed line, a sample of a family without
 * {@code # TYPE}, a family split in two, a repeated series, a negative counter, or a histogram whose buckets
 * are not cumulative up to a {@code +Inf} equal to its {@code _count} is an {@link IllegalArgumentException}.
 */
public final class Scrape {

    /** Every family TaskPulse's /metrics promises (see the README), with its type. */
    public static final Map<String, String> TASKPULSE_FAMILIES = Map.ofEntries(
            Map.entry("taskpulse_sessions_open", "gauge"),
            Map.entry("taskpulse_messages_sent_total", "counter"),
            Map.entry("taskpulse_bytes_sent_total", "counter"),
            Map.entry("taskpulse_conflations_total", "counter"),
            Map.entry("taskpulse_slow_closes_total", "counter"),
            Map.entry("taskpulse_dead_peer_closes_total", "counter"),
            Map.entry("taskpulse_outbox_queued_messages", "gauge"),
            Map.entry("taskpulse_poll_duration_seconds", "histogram"),
            Map.entry("taskpulse_poll_failures_total", "counter"),
            Map.entry("taskpulse_feed_resyncs_total", "counter"),
            Map.entry("taskpulse_feed_subscriber_failures_total", "counter"),
            Map.entry("taskpulse_write_retries_total", "counter"),
            Map.entry("taskpulse_overdue_total", "counter"),
            Map.entry("taskpulse_run_timeouts_total", "counter"),
            Map.entry("taskpulse_tasks", "gauge"),
            Map.entry("taskpulse_tasks_overdue", "gauge"),
            Map.entry("taskpulse_change_lag_seconds", "histogram"),
            Map.entry("taskpulse_revision", "gauge"),
            Map.entry("taskpulse_http_requests_total", "counter"));

    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?Inf|NaN|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One line of data: a series (name and labels) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private Scrape() {
    }

    public static Scrape parse(String text) {
        Scrape scrape = new Scrape();
        scrape.read(text);
        scrape.checkHistograms();
        return scrape;
    }

    /** The value of exactly this series (labels as name, value pairs); fails the test when it is missing. */
    public double value(String name, String... labels) {
        Map<String, String> wanted = labels(labels);
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().equals(wanted)) {
                return sample.value();
            }
        }
        fail("no series " + name + wanted + " in the scrape");
        return Double.NaN;
    }

    /** Like {@link #value}, but 0 for a series not (yet) in the scrape, as for a counter never incremented. */
    public double valueOrZero(String name, String... labels) {
        Map<String, String> wanted = labels(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .mapToDouble(Sample::value).findFirst().orElse(0);
    }

    /** The declared type of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The samples, one per line, for a failure message. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("\n");
        samples.forEach(s -> text.append(s.name()).append(s.labels()).append(' ').append(s.value()).append('\n'));
        return text.toString();
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a newline");
        }
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + " (" + line + "): ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher comment = COMMENT.matcher(line);
                if (!comment.matches()) {
                    if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                        throw new IllegalArgumentException(where + "malformed " + line.substring(2, 6));
                    }
                    continue; // any other comment is allowed
                }
                String family = comment.group(2);
                if (comment.group(1).equals("TYPE")) {
                    if (!TYPES.contains(comment.group(3))) {
                        throw new IllegalArgumentException(where + "unknown type");
                    }
                    if (types.putIfAbsent(family, comment.group(3)) != null || finished.contains(family)
                            || family.equals(current)) {
                        throw new IllegalArgumentException(where + "TYPE after the family's first sample or twice");
                    }
                } else if (!helped.add(family)) {
                    throw new IllegalArgumentException(where + "HELP twice");
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException(where + "not name{labels} value");
            }
            String name = sample.group(1);
            Map<String, String> labels = parseLabels(sample.group(2), where);
            String value = sample.group(3);
            if (!VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(where + "not a number: " + value);
            }
            String family = familyOf(name, where);
            if (!family.equals(current)) {
                if (!finished.add(family)) {
                    throw new IllegalArgumentException(where + "family " + family + " is split in two groups");
                }
                current = family;
            }
            if (!series.add(name + labels)) {
                throw new IllegalArgumentException(where + "series repeated");
            }
            double number = Double.parseDouble(value.replace("Inf", "Infinity"));
            if ("counter".equals(types.get(family)) && !(number >= 0)) {
                throw new IllegalArgumentException(where + "a counter below zero");
            }
            samples.add(new Sample(name, labels, number));
        }
    }

    private String familyOf(String name, String where) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            String stem = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
            if (stem != null && ("histogram".equals(types.get(stem))
                    || ("summary".equals(types.get(stem)) && !suffix.equals("_bucket")))) {
                return stem;
            }
        }
        throw new IllegalArgumentException(where + "no # TYPE declares " + name);
    }

    private static Map<String, String> parseLabels(String text, String where) {
        Map<String, String> labels = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw new IllegalArgumentException(where + "malformed labels at: " + text.substring(at));
            }
            String value = label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(label.group(1), value) != null) {
                throw new IllegalArgumentException(where + "label " + label.group(1) + " twice");
            }
            at = label.end();
        }
        return labels;
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> declared : types.entrySet()) {
            if (!declared.getValue().equals("histogram")) {
                continue;
            }
            String family = declared.getKey();
            Map<Map<String, String>, List<Sample>> bucketsBySeries = new LinkedHashMap<>();
            for (Sample sample : samples) {
                if (sample.name().equals(family + "_bucket")) {
                    Map<String, String> others = new TreeMap<>(sample.labels());
                    if (others.remove("le") == null) {
                        throw new IllegalArgumentException(family + ": a bucket without le");
                    }
                    bucketsBySeries.computeIfAbsent(others, k -> new ArrayList<>()).add(sample);
                }
            }
            if (bucketsBySeries.isEmpty()) {
                throw new IllegalArgumentException(family + ": a histogram without buckets");
            }
            bucketsBySeries.forEach((labels, buckets) -> checkBuckets(family, labels, buckets));
        }
    }

    private void checkBuckets(String family, Map<String, String> labels, List<Sample> buckets) {
        double previousBound = Double.NEGATIVE_INFINITY;
        double previousCount = 0;
        for (Sample bucket : buckets) {
            String le = bucket.labels().get("le");
            if (!VALUE.matcher(le).matches()) {
                throw new IllegalArgumentException(family + ": le is not a number: " + le);
            }
            double bound = Double.parseDouble(le.replace("Inf", "Infinity"));
            if (!(bound > previousBound) || bucket.value() < previousCount) {
                throw new IllegalArgumentException(family + labels + ": buckets not in increasing le with cumulative counts at le=" + le);
            }
            previousBound = bound;
            previousCount = bucket.value();
        }
        if (previousBound != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(family + labels + ": the last bucket is not le=\"+Inf\"");
        }
        String[] pairs = labels.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        Map<String, String> wanted = labels(pairs);
        double count = samples.stream().filter(s -> s.name().equals(family + "_count") && s.labels().equals(wanted))
                .mapToDouble(Sample::value).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(family + labels + ": no _count"));
        if (count != previousCount) {
            throw new IllegalArgumentException(family + labels + ": +Inf bucket " + previousCount + " is not _count " + count);
        }
        if (samples.stream().noneMatch(s -> s.name().equals(family + "_sum") && s.labels().equals(wanted))) {
            throw new IllegalArgumentException(family + labels + ": no _sum");
        }
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }
}
