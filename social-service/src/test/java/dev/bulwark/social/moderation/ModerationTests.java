package dev.bulwark.social.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** An operator reads a guild's chat, removes a message and mutes a member; each action is audited under their name. */
@IntegrationTest
class ModerationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();
    private SocialApi api;
    private UUID leader;
    private UUID member;
    private UUID guild;
    private String name;

    @BeforeEach
    void guildWithAMember() {
        api = new SocialApi(port, jdbc);
        leader = UUID.randomUUID();
        member = UUID.randomUUID();
        name = SocialApi.uniqueName("Moderated");
        guild = api.createGuild(leader, name);
        assertThat(api.call(member, POST, "/api/v1/guilds/{g}/members", Map.of("playerId", member), guild).status())
                .isEqualTo(201);
    }

    @Test
    void anOperatorRemovesAMessageAndTheAuditLogKeepsItsTextAndTheirName() {
        long kept = post(leader, "welcome").body().get("id").asLong();
        long spam = post(member, "buy gold at example.com").body().get("id").asLong();
        String admin = keys.adminToken("operator:alice");
        String viewer = keys.viewerToken("operator:bob");

        JsonNode read = api.call(viewer, GET, "/api/v1/admin/guilds/{g}/messages", null, guild).body();
        assertThat(read).hasSize(2);
        assertThat(read.get(0).get("text").asString()).isEqualTo("buy gold at example.com");

        Response refused = api.call(viewer, POST, "/api/v1/admin/guilds/{g}/messages/{m}/remove",
                Map.of("reason", "spam"), guild, spam);
        Response removed = api.call(admin, POST, "/api/v1/admin/guilds/{g}/messages/{m}/remove",
                Map.of("reason", "spam"), guild, spam);
        Response again = api.call(admin, POST, "/api/v1/admin/guilds/{g}/messages/{m}/remove",
                Map.of("reason", "spam"), guild, spam);

        assertThat(refused.status()).as("a viewer reads but does not act").isEqualTo(403);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().get("playerId").asString()).isEqualTo(member.toString());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.problemType()).isEqualTo("not-found");
        JsonNode history = api.call(leader, GET, "/api/v1/guilds/{g}/messages", null, guild).body();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("id").asLong()).isEqualTo(kept);
        JsonNode log = api.call(viewer, GET, "/api/v1/admin/guilds/{g}/moderation-log", null, guild).body();
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("operatorId").asString()).isEqualTo("operator:alice");
        assertThat(log.get(0).get("action").asString()).isEqualTo("REMOVE_MESSAGE");
        assertThat(log.get(0).get("detail").asString()).contains("buy gold at example.com");
    }

    @Test
    void aMutedMemberCannotPostUntilTheMuteIsLiftedAndOthersStillCan() {
        String admin = keys.adminToken("operator:alice");

        Response muted = api.call(admin, PUT, "/api/v1/admin/guilds/{g}/mutes/{p}",
                Map.of("minutes", 30, "reason", "flooding"), guild, member);
        Response refusedPost = post(member, "still here");
        Response othersPost = post(leader, "calm now");
        JsonNode mutes = api.call(keys.viewerToken("operator:bob"), GET, "/api/v1/admin/guilds/{g}/mutes", null, guild)
                .body();
        Response lifted = api.call(admin, DELETE, "/api/v1/admin/guilds/{g}/mutes/{p}", null, guild, member);
        Response afterLift = post(member, "sorry");
        Response liftedAgain = api.call(admin, DELETE, "/api/v1/admin/guilds/{g}/mutes/{p}", null, guild, member);

        assertThat(muted.status()).isEqualTo(200);
        assertThat(muted.body().get("mutedBy").asString()).isEqualTo("operator:alice");
        assertThat(refusedPost.status()).isEqualTo(403);
        assertThat(refusedPost.problemType()).isEqualTo("muted");
        assertThat(othersPost.status()).isEqualTo(201);
        assertThat(mutes).hasSize(1);
        assertThat(mutes.get(0).get("playerId").asString()).isEqualTo(member.toString());
        assertThat(lifted.status()).isEqualTo(204);
        assertThat(afterLift.status()).isEqualTo(201);
        assertThat(liftedAgain.status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT string_agg(action || ':' || operator_id, ',' ORDER BY id) FROM moderation_audit_log WHERE guild_id = :g")
                .param("g", guild).query(String.class).single()).isEqualTo("MUTE:operator:alice,UNMUTE:operator:alice");
        assertThat(api.call(member, PUT, "/api/v1/admin/guilds/{g}/mutes/{p}",
                Map.of("minutes", 30, "reason", "x"), guild, leader).status()).as("a player token").isEqualTo(403);
    }

    @Test
    void operatorsFindGuildsByNamePrefixWithTheirCountsAndCap() {
        JsonNode found = api.call(keys.viewerToken("operator:bob"), GET, "/api/v1/admin/guilds?q={q}", null,
                name.substring(0, name.length() - 2).toUpperCase()).body();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("guildId").asString()).isEqualTo(guild.toString());
        assertThat(found.get(0).get("members").asInt()).isEqualTo(2);
        assertThat(found.get(0).get("maxMembers").asInt()).isPositive();
        assertThat(api.call(keys.viewerToken("operator:bob"), GET, "/api/v1/admin/guilds?q={q}", null, "%").body())
                .as("% is literal").isEmpty();
    }

    private Response post(UUID author, String text) {
        return api.call(author, POST, "/api/v1/guilds/{g}/messages", Map.of("text", text), guild);
    }
}
