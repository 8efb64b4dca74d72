package io.taskpulse.metrics.boundary;

import io.taskpulse.metrics.entity.Histogram;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per metric family a {@code # HELP} and a
 * {@code # TYPE} line, then its samples {@code name{label="value",...} value}, each line ending in a newline.
 * It refuses what the format does not allow (bad names, a family declared twice, a sample of an undeclared
 * family), so a mistake shows up in a unit test rather than as a scrape Prometheus rejects.
 */
final class Exposition {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder text = new StringBuilder(4096);
    private final Set<String> declared = new HashSet<>();
    private String family;
    private String type;

    Exposition counter(String name, String help) {
        return declare(name, "counter", help);
    }

    Exposition gauge(String name, String help) {
        return declare(name, "gauge", help);
    }

    /** A sample of the family declared last; labels are name, value pairs. */
    Exposition sample(long value, String... labels) {
        return line(family, Long.toString(value), labels);
    }

    Exposition sample(double value, String... labels) {
        return line(family, number(value), labels);
    }

    /** A whole histogram family: cumulative buckets up to +Inf, then the sum and the count. */
    Exposition histogram(String name, String help, Histogram.Snapshot snapshot) {
        declare(name, "histogram", help);
        double[] bounds = snapshot.bounds();
        long[] cumulative = snapshot.cumulative();
        for (int i = 0; i < bounds.length; i++) {
            line(name + "_bucket", Long.toString(cumulative[i]), "le", number(bounds[i]));
        }
        line(name + "_bucket", Long.toString(snapshot.count()), "le", "+Inf");
        line(name + "_sum", number(snapshot.sumSeconds()));
        return line(name + "_count", Long.toString(snapshot.count()));
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private Exposition declare(String name, String type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (!declared.add(name)) {
            throw new IllegalStateException("metric family declared twice: " + name);
        }
        family = name;
        this.type = type;
        text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private Exposition line(String name, String value, String... labels) {
        if (family == null) {
            throw new IllegalStateException("a sample before any # TYPE");
        }
        boolean histogramLine = !name.equals(family);
        if (histogramLine != "histogram".equals(type)) {
            throw new IllegalStateException("use histogram(...) for histograms, sample(...) for the others");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        text.append(name);
        if (labels.length > 0) {
            text.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + labels[i]);
                }
                text.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
            }
            text.append('}');
        }
        text.append(' ').append(value).append('\n');
        return this;
    }

    /** Plain decimal for finite values ("0.005", "2.5", "10"), the format's spellings for the others. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
