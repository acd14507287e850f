package dev.bulwark.player.graph;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.bulwark.platform.http.ResilientClients;

/**
 * The live reads the player query makes, as declarative clients built only by the platform's
 * factory (breaker, bulkhead, read timeout, budgeted retries). Responses are read tolerantly:
 * a field the downstream adds later must not break the query.
 */
@Configuration(proxyBeanMethods = false)
class Downstreams {

    static final String ECONOMY = "economy";
    static final String SOCIAL = "social";

    @HttpExchange("/api/v1/players/{playerId}")
    interface Economy {

        @GetExchange("/wallet")
        Wallet wallet(@PathVariable UUID playerId);

        @GetExchange("/inventory")
        Inventory inventory(@PathVariable UUID playerId);
    }

    @HttpExchange("/api/v1/players/{playerId}")
    interface Social {

        @GetExchange("/friends")
        List<Friend> friends(@PathVariable UUID playerId);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Wallet(Map<String, Long> balances, Map<String, Long> held) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inventory(List<ItemStack> items) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ItemStack(String itemId, long quantity) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Friend(UUID playerId, String state) {
    }

    @Bean
    Economy economyClient(ResilientClients clients) {
        return clients.create(ECONOMY, Economy.class);
    }

    @Bean
    Social socialClient(ResilientClients clients) {
        return clients.create(SOCIAL, Social.class);
    }
}
