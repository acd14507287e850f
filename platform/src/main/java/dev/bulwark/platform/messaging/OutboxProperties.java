package dev.bulwark.platform.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param resubmitInterval how often failed publications are sent again
 * @param resubmitMinAge   how old a failed publication must be before it is sent again
 */
@ConfigurationProperties("bulwark.outbox")
public record OutboxProperties(Duration resubmitInterval, Duration resubmitMinAge) {
}
