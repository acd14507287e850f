package dev.bulwark.platform.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param keepAfterRefill how long a bucket's row stays after the bucket would be full again
 *                        (a full bucket and no row give the same answer; the margin saves
 *                        re-inserting the rows of steady callers)
 * @param cleanupInterval how often rows past that point are deleted
 */
@ConfigurationProperties("bulwark.rate-limit")
public record RateLimitStoreProperties(Duration keepAfterRefill, Duration cleanupInterval) {
}
