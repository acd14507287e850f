package dev.bulwark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Timing calls from several threads at once, and percentiles of the samples, for the in-process benchmarks. */
final class LatencySamples {

    interface Call {
        void run(int thread, int index) throws Exception;
    }

    /** Every call's duration, and calls per second over the whole run. */
    record Timed(long[] nanos, double perSecond) {
    }

    private LatencySamples() {
    }

    /** {@code each} calls on each of {@code threads} threads, released together. */
    static Timed parallel(int threads, int each, Call call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> results = new ArrayList<>();
        long start;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    long[] nanos = new long[each];
                    for (int i = 0; i < each; i++) {
                        long t0 = System.nanoTime();
                        call.run(thread, i);
                        nanos[i] = System.nanoTime() - t0;
                    }
                    return nanos;
                }));
            }
            start = System.nanoTime();
            go.countDown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = new long[each * threads];
        for (int t = 0; t < threads; t++) {
            System.arraycopy(results.get(t).get(), 0, all, t * each, each);
        }
        return new Timed(all, all.length / seconds);
    }

    static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
}
