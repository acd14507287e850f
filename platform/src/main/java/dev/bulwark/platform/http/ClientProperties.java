package dev.bulwark.platform.http;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Downstream services a service calls synchronously, by name, e.g.
 * {@code bulwark.clients.economy.base-url}.
 */
@ConfigurationProperties("bulwark")
public record ClientProperties(Map<String, Client> clients) {

    public ClientProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }

    /**
     * @param baseUrl          where the service answers
     * @param connectTimeout   TCP connect limit
     * @param readTimeout      the HTTP read timeout that actually stops a blocking call
     * @param maxConcurrent    bulkhead size; a call beyond it is refused at once
     * @param maxAttempts      attempts of an idempotent read (1 = no retry)
     */
    public record Client(String baseUrl, Duration connectTimeout, Duration readTimeout, Integer maxConcurrent,
            Integer maxAttempts) {

        public Client {
            connectTimeout = connectTimeout == null ? Duration.ofMillis(500) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(1) : readTimeout;
            maxConcurrent = maxConcurrent == null ? 20 : maxConcurrent;
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        }
    }
}
