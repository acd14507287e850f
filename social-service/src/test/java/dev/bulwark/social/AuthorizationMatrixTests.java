package dev.bulwark.social;

import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.OTHER_PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.VIEWER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.GAME_SERVER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.ADMIN;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.bulwark.testsupport.AuthorizationMatrix;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * Every endpoint of social as every kind of caller; an endpoint without a rule fails. Guild
 * roles (leader, officer, member) are decided in the domain on top of these rules and tested in
 * {@code GuildMembershipTests}; here a player token reaches the domain, which answers 404 for the
 * random guild. A player never writes a score, their own included (the PLAYER cell posts the
 * path player's own id); only operators create boards. Reading a friends-only board is for the
 * player themselves ({@code LeaderboardTests}). An inbox is its player's alone (operators write
 * into it, never read it); presence is the player's, their friends' ({@code PresenceTests}: the
 * OTHER_PLAYER here is no friend) and operators'.
 */
@IntegrationTest
class AuthorizationMatrixTests {

    @Autowired
    ApplicationContext context;

    @TestFactory
    Stream<DynamicNode> everyEndpointAsEveryCaller() {
        return matrix().tests();
    }

    /** The bad-input suite over every endpoint's sample request: never a 5xx, every refusal problem+json. */
    @TestFactory
    Stream<DynamicNode> everyEndpointRefusesHostileInputAsProblemJson() {
        return matrix().hostileInputTests();
    }

    private AuthorizationMatrix matrix() {
        return AuthorizationMatrix.of(context)
                .endpoint("POST /api/v1/players/{playerId}/friends").body("""
                        {"friendId": "00000000-0000-0000-0000-000000000001"}""").allow(PLAYER)
                .endpoint("POST /api/v1/players/{playerId}/friends/{friendId}/accept").allow(PLAYER)
                .endpoint("GET /api/v1/players/{playerId}/friends").allow(PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("DELETE /api/v1/players/{playerId}/friends/{friendId}").allow(PLAYER)
                .endpoint("PUT /api/v1/players/{playerId}/blocks/{otherId}").allow(PLAYER)
                .endpoint("DELETE /api/v1/players/{playerId}/blocks/{otherId}").allow(PLAYER)
                .endpoint("GET /api/v1/players/{playerId}/guild").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/guilds/{guildId}").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/guilds").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("PATCH /api/v1/guilds/{guildId}").body("""
                        {"open": true}""").allow(PLAYER, OTHER_PLAYER)
                .endpoint("POST /api/v1/guilds/{guildId}/members").body("""
                        {"playerId": "${playerId}"}""").allow(PLAYER)
                .endpoint("POST /api/v1/guilds/{guildId}/members/{playerId}/approve").allow(PLAYER, OTHER_PLAYER)
                .endpoint("POST /api/v1/guilds/{guildId}/members/{playerId}/promote").allow(PLAYER, OTHER_PLAYER)
                .endpoint("POST /api/v1/guilds/{guildId}/members/{playerId}/demote").allow(PLAYER, OTHER_PLAYER)
                .endpoint("DELETE /api/v1/guilds/{guildId}/members/{playerId}").allow(PLAYER, OTHER_PLAYER)
                .endpoint("POST /api/v1/guilds/{guildId}/messages").body("""
                        {"text": "hello"}""").allow(PLAYER, OTHER_PLAYER)
                .endpoint("GET /api/v1/guilds/{guildId}/messages").allow(PLAYER, OTHER_PLAYER)
                .endpoint("GET /api/v1/guilds/{guildId}/messages/stream").allow(PLAYER, OTHER_PLAYER)
                .endpoint("GET /api/v1/admin/status").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/guilds").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/guilds/{guildId}/messages").allow(ADMIN, VIEWER)
                .endpoint("POST /api/v1/admin/guilds/{guildId}/messages/{messageId}/remove").body("""
                        {"reason": "spam"}""").allow(ADMIN)
                .endpoint("GET /api/v1/admin/guilds/{guildId}/mutes").allow(ADMIN, VIEWER)
                .endpoint("PUT /api/v1/admin/guilds/{guildId}/mutes/{playerId}").body("""
                        {"minutes": 5, "reason": "flooding"}""").allow(ADMIN)
                .endpoint("DELETE /api/v1/admin/guilds/{guildId}/mutes/{playerId}").allow(ADMIN)
                .endpoint("GET /api/v1/admin/guilds/{guildId}/moderation-log").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/shards").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/players/{playerId}/shard").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/guilds/{guildId}/shard").allow(ADMIN, VIEWER)
                .endpoint("POST /api/v1/admin/leaderboards").body("""
                        {"leaderboardId": "matrix-board", "sortOrder": "DESC", "operator": "BEST"}""").allow(ADMIN)
                .endpoint("POST /api/v1/leaderboards/{leaderboardId}/records").header("Idempotency-Key", "matrix-1")
                        .body("""
                        {"playerId": "${playerId}", "score": 10}""").allow(GAME_SERVER)
                .endpoint("GET /api/v1/leaderboards/{leaderboardId}/records").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/leaderboards/{leaderboardId}/records/around/{playerId}")
                        .allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/players/{playerId}/notifications").allow(PLAYER)
                .endpoint("POST /api/v1/players/{playerId}/notifications/{notificationId}/read").allow(PLAYER)
                .endpoint("GET /api/v1/players/{playerId}/notifications/stream").allow(PLAYER)
                .endpoint("POST /api/v1/admin/players/{playerId}/notifications").body("""
                        {"text": "maintenance at noon"}""").allow(ADMIN)
                .endpoint("GET /api/v1/players/{playerId}/presence").allow(PLAYER, ADMIN)
                .endpoint("GET /api/v1/players/{playerId}/presence/friends").allow(PLAYER, ADMIN)
                .endpoint("PUT /api/v1/players/{playerId}/presence").body("""
                        {"away": true}""").allow(PLAYER)
                .pathVariable("messageId", () -> "1")
                ;
    }
}
