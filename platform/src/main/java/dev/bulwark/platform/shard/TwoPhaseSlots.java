package dev.bulwark.platform.shard;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.bulwark.platform.web.ApiException;

/**
 * How many two-phase commits run at once over one set of shard pools. Each holds several pooled
 * connections at the same time, taken one after another (the request's own, a participant's on
 * each shard, the decision's): unbounded, a burst of them drains a pool between them and each
 * waits out the connection timeout. A third of the smallest pool leaves every commit the
 * connections it needs and the single-shard writes theirs. A commit that finds no slot within
 * {@code wait} (the cross-shard lock timeout) is 503 {@code shard-contended}, as a lock wait is.
 */
public final class TwoPhaseSlots {

    private final Semaphore slots;
    private final Duration wait;

    private TwoPhaseSlots(int concurrency, Duration wait) {
        this.slots = new Semaphore(Math.max(1, concurrency), true);
        this.wait = wait;
    }

    /** A third of {@code smallestPool} slots (at least one). */
    public static TwoPhaseSlots forPool(int smallestPool, Duration wait) {
        return new TwoPhaseSlots(smallestPool / 3, wait);
    }

    /** Exactly {@code concurrency} slots (at least one). */
    public static TwoPhaseSlots of(int concurrency, Duration wait) {
        return new TwoPhaseSlots(concurrency, wait);
    }

    /** Runs {@code commit} in a slot, waiting for one at most {@code wait}. */
    public <T> T run(Supplier<T> commit) {
        try {
            if (!slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw contended();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw contended();
        }
        try {
            return commit.get();
        } finally {
            slots.release();
        }
    }

    public void run(Runnable commit) {
        run(() -> {
            commit.run();
            return null;
        });
    }

    /** 503 {@code shard-contended}: another change holds these rows across shards, or too many run at once. */
    public static ApiException contended() {
        return ApiException.unavailable("shard-contended", "Another change holds these rows across shards; retry")
                .withHeader("Retry-After", "1");
    }
}
