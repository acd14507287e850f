package dev.bulwark.platform.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The outbox relay's pace ({@link OutboxRelay}).
 *
 * @param pollInterval how often the relay looks for rows when nothing woke it (rows another
 *                     instance wrote, retries)
 * @param linger       how long it waits after a local commit woke it, so that concurrent commits
 *                     share one read
 * @param batchSize    rows per read
 * @param sendTimeout  how long it waits for Kafka's acknowledgements of one batch
 * @param retryPause   the pause after Kafka refused or timed out, before the rows are sent again
 * @param leaseTtl     how long the relay lease lasts without renewal (a crashed holder's successor
 *                     waits this long)
 */
@ConfigurationProperties("bulwark.outbox")
public record OutboxProperties(Duration pollInterval, Duration linger, int batchSize, Duration sendTimeout,
        Duration retryPause, Duration leaseTtl) {
}
