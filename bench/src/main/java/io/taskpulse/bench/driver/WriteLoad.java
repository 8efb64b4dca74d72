package io.taskpulse.bench.driver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop write load (issue 17): C threads, each with one keep-alive connection ({@link Http1}), send requests
 * back to back, each as soon as the previous one is answered, until the deadline: the throughput the server
 * sustains, and the latency of every request. Bounded: every loop ends at its deadline, and a connection that fails
 * {@value #MAX_FAILURES_IN_A_ROW} times in a row stops early.
 */
final class WriteLoad {

    private static final int MAX_FAILURES_IN_A_ROW = 20;

    /** The request a connection sends as its {@code sequence}-th one. */
    interface Requests {
        byte[] request(int connection, long sequence);
    }

    /** What one window measured. */
    static final class Window {
        final Histogram latencyMicros = new Histogram(60_000_000L, 3);
        long answered;
        long errors;
        String firstError;
        double seconds;
        /** CPU time of the load's own threads (building requests, sending, parsing answers) */
        long loadCpuNanos;
    }

    private WriteLoad() {
    }

    /**
     * Runs the load for {@code seconds}, and until each connection has had {@code atLeast} requests answered (or
     * failed); a non-2xx answer or a broken connection is an error (the first is kept).
     */
    static Window run(InetSocketAddress server, int connections, double seconds, int atLeast, Requests requests)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        LongAdder answered = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        LongAdder cpu = new LongAdder();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Histogram histogram = new Histogram(60_000_000L, 3);
            histograms.add(histogram);
            Thread thread = new Thread(() -> {
                int failuresInARow = 0;
                try (Http1 http = new Http1(server)) {
                    for (long sequence = 0; (sequence < atLeast || System.nanoTime() < deadline)
                            && failuresInARow < MAX_FAILURES_IN_A_ROW; sequence++) {
                        byte[] request = requests.request(connection, sequence);
                        long t0 = System.nanoTime();
                        try {
                            Http1.Answer answer = http.exchange(request);
                            histogram.recordValue(Math.min((System.nanoTime() - t0) / 1000, 60_000_000L));
                            if (answer.status() / 100 == 2) {
                                answered.increment();
                                failuresInARow = 0;
                            } else {
                                errors.increment();
                                failuresInARow++;
                                firstError.compareAndSet(null, answer.status() + " " + abbreviate(answer.body()));
                            }
                        } catch (IOException | RuntimeException e) {
                            errors.increment();
                            failuresInARow++;
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                } finally {
                    cpu.add(threadBean.getCurrentThreadCpuTime());
                }
            }, "write-load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Window window = new Window();
        window.seconds = (System.nanoTime() - start) / 1e9;
        histograms.forEach(window.latencyMicros::add);
        window.answered = answered.sum();
        window.errors = errors.sum();
        window.firstError = firstError.get();
        window.loadCpuNanos = cpu.sum();
        return window;
    }

    private static String abbreviate(String body) {
        String line = body.replaceAll("\\s+", " ");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
