package io.taskpulse.bench.driver;

import org.HdrHistogram.Histogram;

/**
 * One burst of the rate sweep: a design at N open sockets, changes asked for at {@code askedPerSecond} for the
 * burst's length, what the writer achieved, write→client latency over every client's every change, and the server's
 * heap after a full GC before the burst and after it (and its drain).
 */
record SweepPoint(String design, int clients, double askedPerSecond, double achievedPerSecond, Histogram latency, double heapBefore, double heapAfter, long writeFailures, long clientErrors) {

    /** Heap after the burst over heap before it: 1.00 is flat. */
    double heapRatio() {
        return heapAfter / heapBefore;
    }
}
