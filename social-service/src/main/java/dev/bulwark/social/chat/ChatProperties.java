package dev.bulwark.social.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * @param maxLength      longest message, in characters after trimming (at most 500, the column's limit)
 * @param postsPerWindow how many messages a player may post per {@code window} (a token bucket
 *                       refilled gradually, so bursts up to this size are allowed)
 * @param streamTimeout  how long a live stream stays open before the client reconnects with
 *                       {@code Last-Event-ID}
 * @param heartbeat      how often open streams get a keep-alive comment and a catch-up check
 */
@Validated
@ConfigurationProperties("bulwark.social.chat")
record ChatProperties(@Min(1) @Max(500) int maxLength, @Min(1) int postsPerWindow, @NotNull Duration window,
        @NotNull Duration streamTimeout, @NotNull Duration heartbeat) {
}
