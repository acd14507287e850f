package dev.bulwark.social.chat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A Bucket4j token bucket per player on this instance. Buckets of players who have been quiet
 * long enough to be full again are dropped, so memory follows the active posters.
 */
@Component
class PostingRateLimit {

    /** Refused: the player may post again after {@code retryAfter}. */
    static final class PostingTooFast extends RuntimeException {

        final Duration retryAfter;

        PostingTooFast(Duration retryAfter) {
            super("Posting too fast; retry after " + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }
    }

    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();
    private final ChatProperties properties;

    PostingRateLimit(ChatProperties properties) {
        this.properties = properties;
    }

    void acquire(UUID player) {
        ConsumptionProbe probe = buckets.computeIfAbsent(player, p -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new PostingTooFast(Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    @Scheduled(fixedDelayString = "${bulwark.social.chat.window}")
    void forgetFullBuckets() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= properties.postsPerWindow());
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.postsPerWindow())
                        .refillGreedy(properties.postsPerWindow(), properties.window()).build())
                .build();
    }
}
