package dev.bulwark.economy.saga;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param participantDeadline how long a participant has to answer before Cancel is sent
 * @param cancelRetry         how often an unanswered Cancel is sent again (the saga is stuck meanwhile)
 */
@ConfigurationProperties("bulwark.saga")
public record SagaProperties(@DefaultValue("30s") Duration participantDeadline, @DefaultValue("10s") Duration cancelRetry,
        @DefaultValue("1s") Duration scanInterval) {
}
