package dev.bulwark.platform.http;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

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
     * @param maxConcurrentPerCaller how many of those permits one caller (the authenticated
     *                         principal the call is made for) may hold at once; a call beyond it
     *                         is refused at once, before it reaches the shared bulkhead and
     *                         breaker. Defaults to a quarter of the bulkhead.
     */
    public record Client(String baseUrl, Duration connectTimeout, Duration readTimeout, Integer maxConcurrent,
            Integer maxAttempts, Integer maxConcurrentPerCaller) {

        // The canonical constructor binds; the shorter one below is for code.
        @ConstructorBinding
        public Client {
            connectTimeout = connectTimeout == null ? Duration.ofMillis(500) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(1) : readTimeout;
            maxConcurrent = maxConcurrent == null ? 20 : maxConcurrent;
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            maxConcurrentPerCaller = maxConcurrentPerCaller == null ? Math.max(1, maxConcurrent / 4)
                    : Math.min(maxConcurrentPerCaller, maxConcurrent);
        }

        public Client(String baseUrl, Duration connectTimeout, Duration readTimeout, Integer maxConcurrent,
                Integer maxAttempts) {
            this(baseUrl, connectTimeout, readTimeout, maxConcurrent, maxAttempts, null);
        }
    }
}
