package dev.bulwark.social.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * @param retention     how long a notification is kept, read or not
 * @param streamTimeout how long a live stream stays open before the client reconnects
 * @param heartbeat     how often open streams get a keep-alive, a catch-up check and their presence renewed
 */
@Validated
@ConfigurationProperties("bulwark.social.notifications")
record NotificationProperties(@NotNull Duration retention, @NotNull Duration streamTimeout, @NotNull Duration heartbeat) {
}
