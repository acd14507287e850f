package dev.bulwark.platform.http;

/**
 * Caps retries to a fraction of calls, so that a struggling downstream sees at most that much
 * extra load (the seed's retry storm). Each call earns {@code ratio} of a token; a retry spends
 * one; the balance is capped so an idle period cannot bank a burst.
 */
final class RetryBudget {

    private final double ratio;
    private final double cap;
    private double tokens;

    RetryBudget(double ratio, double cap) {
        this.ratio = ratio;
        this.cap = cap;
        this.tokens = cap;
    }

    synchronized void recordCall() {
        tokens = Math.min(cap, tokens + ratio);
    }

    synchronized boolean tryRetry() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
