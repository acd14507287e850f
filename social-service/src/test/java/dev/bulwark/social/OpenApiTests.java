package dev.bulwark.social;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;


import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.testsupport.IntegrationTest;

/**
 * The published OpenAPI document lists the public contract's paths (who may call each endpoint is
 * {@link AuthorizationMatrixTests}).
 */
@IntegrationTest
class OpenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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
                "/api/v1/guilds/{guildId}/messages", "/api/v1/guilds/{guildId}/messages/stream",
                "/api/v1/admin/leaderboards", "/api/v1/leaderboards/{leaderboardId}/records",
                "/api/v1/leaderboards/{leaderboardId}/records/around/{playerId}",
                "/api/v1/players/{playerId}/notifications", "/api/v1/players/{playerId}/notifications/{notificationId}/read",
                "/api/v1/players/{playerId}/notifications/stream", "/api/v1/admin/players/{playerId}/notifications",
                "/api/v1/players/{playerId}/presence", "/api/v1/players/{playerId}/presence/friends");
    }
}
