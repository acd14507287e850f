package dev.bulwark.platform.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * How many calls to one downstream each caller has in flight, refusing a call that would take
 * the caller past its share. The count lives only while calls are in flight (an entry is removed
 * when it drops to zero), so the map is bounded by the callers active at this moment, not by
 * every caller ever seen. A call made for no authenticated caller (a service's own job) is bounded
 * by the shared bulkhead alone.
 */
final class CallerLimits {

    private final String downstream;
    private final int limit;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    CallerLimits(String downstream, int limit) {
        this.downstream = downstream;
        this.limit = limit;
    }

    <T> T call(Supplier<T> call) {
        String key = SharedBreaker.caller();
        if (key == null) {
            return call.get();
        }
        boolean[] admitted = new boolean[1];
        inFlight.compute(key, (k, held) -> {
            int now = held == null ? 0 : held;
            admitted[0] = now < limit;
            return admitted[0] ? now + 1 : now;
        });
        if (!admitted[0]) {
            throw new CallerLimitExceededException(downstream, limit);
        }
        try {
            return call.get();
        }
        finally {
            inFlight.compute(key, (k, held) -> held == null || held <= 1 ? null : held - 1);
        }
    }

    /** Calls in flight for {@code caller} (for tests and diagnostics). */
    int inFlight(String caller) {
        return inFlight.getOrDefault(caller, 0);
    }
}
