package dev.bulwark.platform.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;

@AutoConfiguration(afterName = {
        "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
        "io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
        "io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration" })
@EnableConfigurationProperties(ClientProperties.class)
public class ResilientClientConfiguration {

    @Bean
    ResilientClients resilientClients(ClientProperties properties, RestClient.Builder builder,
            CircuitBreakerRegistry circuitBreakers, BulkheadRegistry bulkheads, RetryRegistry retries) {
        return new ResilientClients(properties, builder, circuitBreakers, bulkheads, retries);
    }
}
