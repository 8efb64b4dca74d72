package io.taskpulse.metrics.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistogramTest {

    private static final long MS = 1_000_000;

    private final Histogram histogram = new Histogram(0.01, 0.1, 1);

    @Test
    void aValueLandsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        histogram.observeNanos(10 * MS);      // exactly 0.01: le="0.01"
        histogram.observeNanos(10 * MS + 1);  // just above: le="0.1"
        histogram.observeNanos(1000 * MS);    // exactly 1
        histogram.observeNanos(5000 * MS);    // above every bound: +Inf only

        assertArrayEquals(new long[]{1, 2, 3, 4}, histogram.snapshot().cumulative());
    }

    @Test
    void bucketsAreCumulativeAndTheLastIsTheCount() {
        for (int i = 0; i < 5; i++) {
            histogram.observeNanos(MS);
        }
        histogram.observeNanos(500 * MS);

        Histogram.Snapshot snapshot = histogram.snapshot();
        assertArrayEquals(new long[]{5, 5, 6, 6}, snapshot.cumulative());
        assertEquals(6, snapshot.count());
        assertArrayEquals(new double[]{0.01, 0.1, 1}, snapshot.bounds());
    }

    @Test
    void sumIsInSeconds() {
        histogram.observeNanos(250 * MS);
        histogram.observeNanos(1500 * MS);

        assertEquals(1.75, histogram.snapshot().sumSeconds(), 1e-9);
    }

    @Test
    void aNegativeDurationCountsAsZero() {
        histogram.observeNanos(-5 * MS);

        Histogram.Snapshot snapshot = histogram.snapshot();
        assertEquals(1, snapshot.cumulative()[0]);
        assertEquals(0, snapshot.sumSeconds());
    }

    @Test
    void boundsMustBePositiveFiniteAndIncreasing() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram());
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, Double.POSITIVE_INFINITY));
    }

    @Test
    void concurrentObservationsAreAllCounted() throws InterruptedException {
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long nanos = t * 40 * MS;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        histogram.observeNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        assertTrue(done.await(30, TimeUnit.SECONDS), "observers finished");

        assertArrayEquals(new long[]{each, 3L * each, 4L * each, 4L * each}, histogram.snapshot().cumulative());
    }
}
