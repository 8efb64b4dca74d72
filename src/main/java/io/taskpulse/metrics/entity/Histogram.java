package io.taskpulse.metrics.entity;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets, Prometheus style (a value lands in the first bucket whose upper bound
 * it does not exceed). Lock-free: an observation is two {@link LongAdder} increments, so it may sit on a hot
 * path. Bounds are compared in whole nanoseconds, so a value equal to a bound lands in that bound's bucket.
 */
public final class Histogram {

    private final double[] bounds;
    private final long[] boundNanos;
    /** One per bound, and a last one for values above every bound (+Inf). Not cumulative. */
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    /** @param bounds upper bounds in seconds: finite, positive, strictly increasing */
    public Histogram(double... bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bound");
        }
        this.bounds = bounds.clone();
        this.boundNanos = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || bounds[i] <= 0 || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("bounds must be finite, positive and increasing: " + Arrays.toString(bounds));
            }
            boundNanos[i] = Math.round(bounds[i] * 1e9);
        }
        counts = new LongAdder[bounds.length + 1];
        Arrays.setAll(counts, i -> new LongAdder());
    }

    /** Counts one duration; a negative one (clocks that disagree) counts as zero. */
    public void observeNanos(long nanos) {
        long value = Math.max(0, nanos);
        int bucket = 0;
        while (bucket < boundNanos.length && value > boundNanos[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(value);
    }

    /**
     * The counts now, cumulative as the exposition format wants them. The total is the +Inf bucket, so buckets
     * and count always agree; the sum is read after them and may already include an observation or two more.
     */
    public Snapshot snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sumNanos.sum() / 1e9);
    }

    /**
     * @param bounds     the finite upper bounds in seconds
     * @param cumulative one count per bound, then the +Inf count (the total)
     * @param sumSeconds the sum of all observations
     */
    public record Snapshot(double[] bounds, long[] cumulative, double sumSeconds) {

        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}
