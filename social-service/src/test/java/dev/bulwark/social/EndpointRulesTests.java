package dev.bulwark.social;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.bulwark.testsupport.IntegrationTest;

/**
 * Every social endpoint states who may call it, and the published OpenAPI document lists the
 * public contract's paths.
 */
@IntegrationTest
class EndpointRulesTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everySocialEndpointHasAnExplicitAuthorizationRule() {
        List<String> social = mappings.getHandlerMethods().entrySet().stream()
                .filter(e -> e.getValue().getBeanType().getPackageName().startsWith("dev.bulwark.social"))
                .map(e -> e.getKey() + " " + (e.getValue().hasMethodAnnotation(PreAuthorize.class) ? "ruled" : "UNRULED"))
                .toList();

        assertThat(social).hasSize(18).allSatisfy(line -> assertThat(line).endsWith(" ruled"));
    }

    @Test
    void theOpenApiDocumentListsTheContractPaths() {
        var docs = new SocialApi(port, jdbc).call((String) null, GET, "/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").propertyNames()).contains(
                "/api/v1/players/{playerId}/friends", "/api/v1/players/{playerId}/friends/{friendId}",
                "/api/v1/players/{playerId}/blocks/{otherId}", "/api/v1/players/{playerId}/guild",
                "/api/v1/guilds/{guildId}", "/api/v1/guilds", "/api/v1/guilds/{guildId}/members",
                "/api/v1/guilds/{guildId}/members/{playerId}/approve", "/api/v1/guilds/{guildId}/members/{playerId}/promote",
                "/api/v1/guilds/{guildId}/members/{playerId}/demote", "/api/v1/guilds/{guildId}/members/{playerId}",
                "/api/v1/guilds/{guildId}/messages", "/api/v1/guilds/{guildId}/messages/stream");
    }
}
