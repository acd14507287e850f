package dev.bulwark.platform.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param maxAttempts deliveries of a failing message before it goes to the dead-letter topic */
@ConfigurationProperties("bulwark.inbox")
public record InboxProperties(int maxAttempts) {
}
