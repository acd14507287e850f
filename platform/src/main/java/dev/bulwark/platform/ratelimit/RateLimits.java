package dev.bulwark.platform.ratelimit;

import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Token buckets kept in the service's PostgreSQL table {@code rate_limit_bucket}, so that every
 * instance of a service draws on the same budget. Each consumption is one short transaction on
 * its own connection that locks the key's row ({@code SELECT ... FOR UPDATE}).
 */
public class RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    private static final int CLEANUP_BATCH = 1_000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    public RateLimits(DataSource dataSource, RateLimitStoreProperties properties) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .expirationAfterWrite(ExpirationAfterWriteStrategy
                        .basedOnTimeForRefillingBucketUpToMax(properties.keepAfterRefill()))
                .build();
    }

    /**
     * A limit of {@code capacity} tokens refilled gradually by {@code refill} tokens every
     * {@code period}. Its keys are stored under the limit's name and settings, so a changed
     * setting starts from fresh buckets instead of keeping the old ones' configuration.
     *
     * @param refusal the start of the 429's detail, e.g. "Posting too fast"
     */
    public RateLimit limit(String name, long capacity, long refill, Duration period, String refusal) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(refill, period))
                .build();
        String prefix = name + ":" + capacity + "/" + refill + "/" + period + ":";
        return new RateLimit(buckets, prefix, configuration, refusal);
    }

    /**
     * Deletes the rows of buckets that would be full by now, in batches. Instances running this
     * at the same time share the work: each batch skips rows another one has locked.
     */
    @Scheduled(fixedDelayString = "${bulwark.rate-limit.cleanup-interval}",
            initialDelayString = "${bulwark.rate-limit.cleanup-interval}")
    public int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(CLEANUP_BATCH);
            removed += batch;
        } while (batch == CLEANUP_BATCH);
        if (removed > 0) {
            log.debug("Removed {} idle rate-limit buckets", removed);
        }
        return removed;
    }
}
