package dev.bulwark.platform.ratelimit;

import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.bulwark.platform.web.ApiException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;

/** One named limit (see {@link RateLimits#limit}); a bucket per key, shared by every instance. */
public final class RateLimit {

    private final ProxyManager<String> buckets;
    private final String prefix;
    private final BucketConfiguration configuration;
    private final String refusal;

    RateLimit(ProxyManager<String> buckets, String prefix, BucketConfiguration configuration, String refusal) {
        this.buckets = buckets;
        this.prefix = prefix;
        this.configuration = configuration;
        this.refusal = refusal;
    }

    /**
     * Takes one token from {@code key}'s bucket, or refuses with 429 {@code rate-limited} and
     * {@code Retry-After} in whole seconds (at least 1).
     */
    public void acquire(String key) {
        ConsumptionProbe probe = tryAcquire(key);
        if (!probe.isConsumed()) {
            throw refusal(probe);
        }
    }

    /** The 429 {@code rate-limited} for a refused probe, with {@code Retry-After} in whole seconds (at least 1). */
    public ApiException refusal(ConsumptionProbe probe) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", refusal + "; retry after " + seconds + " s")
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }

    /** Returns a token taken for a request that turned out to cost nothing (never beyond the capacity). */
    public void giveBack(String key) {
        buckets.builder().build(prefix + key, () -> configuration).addTokens(1);
    }

    /** Takes one token from {@code key}'s bucket if there is one, and says how it went. */
    public ConsumptionProbe tryAcquire(String key) {
        return buckets.builder().build(prefix + key, () -> configuration).tryConsumeAndReturnRemaining(1);
    }
}
