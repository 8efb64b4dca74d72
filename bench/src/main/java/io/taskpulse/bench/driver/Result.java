package io.taskpulse.bench.driver;

import org.HdrHistogram.Histogram;

/** What one design measured in one run. Negative or NaN means "not measured for this design". */
final class Result {
    final String design;
    final String label;
    int clients;
    double connectSeconds;
    Histogram latency;
    Histogram apiLatency;
    Histogram sqlLatency;
    double messagesPerSecond;
    double fanoutMillis = Double.NaN;
    double fanoutMaxMillis = Double.NaN;
    int fanoutProbes;
    /** from the first client's receipt to the last's: the broadcast alone, without the write before it */
    double spreadMillis = Double.NaN;
    double bytesPerClientMinuteIdle;
    double bytesPerClientMinuteChurn;
    /** statements + pings the server sent the database, per minute, counted on the wire */
    double queriesPerMinute;
    double pingsPerMinute;
    double writesPerMinute;
    double deliveryQueriesPerMinute;
    double rowsReturnedPerMinute;
    double serverCores;
    double heapPerSocketBytes;
    double rssPerSocketBytes;
    long errors;
    String firstError;

    Result(String design, String label) {
        this.design = design;
        this.label = label;
    }

    static String ms(Histogram histogram, double percentile) {
        if (histogram == null || histogram.getTotalCount() == 0) {
            return "–";
        }
        long micros = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return String.format("%.1f", micros / 1000.0);
    }
}
