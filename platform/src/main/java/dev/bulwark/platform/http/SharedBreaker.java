package dev.bulwark.platform.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * A downstream's circuit breaker, shared by every caller, fed so that one caller's failed or slow
 * calls cannot open it while the downstream serves everyone else. The breaker's window counts
 * calls, not callers: one caller looping queries (or one whose own reads are slow) made most of
 * its ten calls, and its slow calls opened the breaker for every player. Here a caller's failed or
 * slow call is recorded only if the other callers heard from lately agree that the downstream is
 * failing: of the latest outcomes of the last {@value #CALLERS} other callers, those within
 * {@code evidence}, at least the breaker's failure-rate threshold were failed or slow too, or no
 * other caller called. Otherwise its permit is released unrecorded (the call itself is made and
 * answered as usual). Each caller is one entry, however many calls it makes, so its volume cannot
 * crowd the others' evidence out. Successes are always recorded; so is every outcome of a call
 * made for no authenticated caller (a service's own job), which is no one's evidence. A downstream that fails for everyone
 * still opens the breaker as fast as before, one lone caller's included.
 */
final class SharedBreaker {

    /** How many other callers' latest outcomes are kept as evidence. */
    static final int CALLERS = 16;

    private final CircuitBreaker breaker;
    private final long evidenceNanos;
    private final long slowNanos;
    private final float failingShare;
    private final CircuitBreakerConfig config;
    /** Each recent caller's latest outcome, least recently updated first. */
    private final LinkedHashMap<String, Outcome> latest = new LinkedHashMap<>(CALLERS * 2, 0.75f, false);

    private record Outcome(boolean bad, long at) {
    }

    SharedBreaker(CircuitBreaker breaker, Duration evidence) {
        this.breaker = breaker;
        this.config = breaker.getCircuitBreakerConfig();
        this.evidenceNanos = evidence.toNanos();
        this.slowNanos = config.getSlowCallDurationThreshold().toNanos();
        this.failingShare = config.getFailureRateThreshold() / 100f;
    }

    <T> T call(Supplier<T> call) {
        breaker.acquirePermission();
        String caller = caller();
        long started = System.nanoTime();
        T result;
        try {
            result = call.get();
        }
        catch (RuntimeException e) {
            long took = System.nanoTime() - started;
            boolean counts = config.getRecordExceptionPredicate().test(e) && !config.getIgnoreExceptionPredicate().test(e);
            if (counts && !othersAgree(caller, started + took)) {
                breaker.releasePermission();
            }
            else {
                breaker.onError(took, TimeUnit.NANOSECONDS, e);
            }
            if (counts) {
                saw(caller, true, started + took);
            }
            throw e;
        }
        long took = System.nanoTime() - started;
        boolean slow = took > slowNanos;
        if (slow && !othersAgree(caller, started + took)) {
            breaker.releasePermission();
        }
        else {
            breaker.onResult(took, TimeUnit.NANOSECONDS, result);
        }
        saw(caller, slow, started + took);
        return result;
    }

    /** Whether a bad outcome for {@code caller} should count: the others' latest outcomes fail too, or there are none. */
    private boolean othersAgree(String caller, long now) {
        if (caller == null) {
            return true;
        }
        int others = 0;
        int bad = 0;
        synchronized (latest) {
            for (Map.Entry<String, Outcome> entry : latest.entrySet()) {
                if (!entry.getKey().equals(caller) && now - entry.getValue().at() <= evidenceNanos) {
                    others++;
                    bad += entry.getValue().bad() ? 1 : 0;
                }
            }
        }
        return others == 0 || bad >= failingShare * others;
    }

    private void saw(String caller, boolean bad, long at) {
        if (caller == null) {
            return;
        }
        synchronized (latest) {
            // Re-inserted at the end, so the map's order is the order of the callers' latest calls.
            latest.remove(caller);
            latest.put(caller, new Outcome(bad, at));
            Iterator<String> oldest = latest.keySet().iterator();
            while (latest.size() > CALLERS + 1) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    static String caller() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller == null ? null : caller.getName();
    }
}
