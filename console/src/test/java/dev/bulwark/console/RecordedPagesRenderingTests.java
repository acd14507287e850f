package dev.bulwark.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.sun.net.httpserver.HttpServer;

/**
 * The shards and guild pages render the rows of recorded service answers (the shapes the
 * economy's and social's tests check), for an ADMIN with the action forms and for a VIEWER
 * without them. The pages against the real services are ConsoleBrowserSystemTests.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RecordedPagesRenderingTests {

    private static final UUID GUILD = UUID.fromString("6f1b7c4e-0000-4000-8000-000000000001");
    private static final UUID MEMBER = UUID.fromString("6f1b7c4e-0000-4000-8000-000000000002");

    private static final Map<String, String> ANSWERS = Map.of(
            "/api/v1/admin/shards/load", """
                    {"ringVersion":3,"vnodesPerShard":150,"at":"2026-12-03T12:00:00Z","shards":[
                    {"shardId":"shard0","weight":1.0,"vnodes":150,"share":0.52,"breaker":"CLOSED","failureRate":-1.0,
                     "healthy":true,"players":51234,"heldGold":40,"heldGem":0,"transactions":900,"transactionsPerSecond":12.5,
                     "activeConnections":1,"connections":6,"databaseBytes":52428800,"probeMillis":3,"problem":null},
                    {"shardId":"shard1","weight":1.0,"vnodes":150,"share":0.48,"breaker":"OPEN","failureRate":100.0,
                     "healthy":false,"players":null,"heldGold":null,"heldGem":null,"transactions":null,
                     "transactionsPerSecond":null,"activeConnections":null,"connections":null,"databaseBytes":null,
                     "probeMillis":null,"problem":"breaker open"}]}""",
            "/api/v1/guilds/" + GUILD, """
                    {"guildId":"%s","name":"Night Watch","leaderId":"%s","open":false,"maxMembers":50,
                     "members":[{"playerId":"%s","role":"LEADER","since":"2026-12-01T10:00:00Z"}],"version":4}"""
                    .formatted(GUILD, MEMBER, MEMBER),
            "/api/v1/admin/guilds/" + GUILD + "/messages", """
                    [{"id":7,"playerId":"%s","text":"buy gold cheap","postedAt":"2026-12-03T11:00:00Z"}]""".formatted(MEMBER),
            "/api/v1/admin/guilds/" + GUILD + "/mutes", """
                    [{"guildId":"%s","playerId":"%s","until":"2026-12-03T13:00:00Z","mutedBy":"operator:alice",
                     "reason":"flooding"}]""".formatted(GUILD, MEMBER),
            "/api/v1/admin/guilds/" + GUILD + "/moderation-log", """
                    [{"id":1,"operatorId":"operator:alice","guildId":"%s","playerId":"%s","action":"MUTE",
                     "reason":"flooding","detail":"{}","at":"2026-12-03T12:00:00Z"}]""".formatted(GUILD, MEMBER),
            "/api/v1/admin/operators", """
                    [{"username":"alice","role":"ADMIN","createdBy":"bootstrap","createdAt":"2026-12-01T00:00:00Z",
                     "disabledAt":null,"disabledBy":null,"disabledReason":null},
                    {"username":"mallory","role":"VIEWER","createdBy":"operator:alice","createdAt":"2026-12-01T00:00:00Z",
                     "disabledAt":"2026-12-02T00:00:00Z","disabledBy":"operator:alice","disabledReason":"left the team"},
                    {"username":"bob","role":"VIEWER","createdBy":"operator:alice","createdAt":"2026-12-01T00:00:00Z",
                     "disabledAt":null,"disabledBy":null,"disabledReason":null}]""",
            "/api/v1/admin/players/" + MEMBER + "/bans", """
                    [{"id":2,"adminId":"operator:alice","action":"BAN","reason":"botting","until":null,
                     "at":"2026-12-03T12:00:00Z"}]""",
            "/api/v1/admin/guilds", """
                    [{"guildId":"%s","name":"Night Watch","leaderId":"%s","open":false,"maxMembers":50,"members":1,
                     "joinRequests":2}]""".formatted(GUILD, MEMBER));

    private static HttpServer service;

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void recordedServices(DynamicPropertyRegistry registry) throws IOException {
        service = RecordedServices.start(ANSWERS, registry);
    }

    @AfterAll
    static void stop() {
        service.stop(0);
    }

    private static SignedInOperator signedIn(String role) {
        return new SignedInOperator("alice", role, "t", Instant.now().plusSeconds(600));
    }

    private String page(String path, String role) throws Exception {
        return mvc.perform(get(path).sessionAttr(SignedInOperator.ATTRIBUTE, signedIn(role)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void theShardsPageShowsTheRingEachShardsLoadAndADownShard() throws Exception {
        String page = page("/shards", "VIEWER");

        assertThat(page).contains("<dd id=\"ring-version\">3</dd>").contains("data-shard=\"shard0\"")
                .contains("<td class=\"players\">51234</td>").contains("12.5").contains("50 MiB")
                .contains("DOWN: breaker open").contains("issue 20");
    }

    @Test
    void aMalformedPlayerIdIsRefusedOnTheShardsPageWithoutACall() throws Exception {
        assertThat(page("/shards?player=nope", "VIEWER")).contains("console:invalid-player-id");
    }

    @Test
    void theGuildPageShowsMembersChatMutesAndTheLogWithActionsOnlyForAnAdmin() throws Exception {
        String admin = page("/guilds/" + GUILD, "ADMIN");
        String viewer = page("/guilds/" + GUILD, "VIEWER");

        assertThat(admin).contains("Guild Night Watch").contains("<td class=\"role\">LEADER</td>")
                .contains("buy gold cheap").contains("flooding").contains("<td class=\"log-operator\">operator:alice</td>")
                .contains("Remove…").contains("Mute…").contains("Lift…");
        assertThat(viewer).contains("buy gold cheap").doesNotContain("Remove…").doesNotContain("Mute…");
        assertThat(page("/guilds?q=Night", "VIEWER")).contains("Night Watch").contains("1 / 50");
    }

    @Test
    void removingAMessageShowsAConfirmationBeforeAnythingIsSent() throws Exception {
        String page = mvc.perform(post("/guilds/" + GUILD + "/messages/7/remove/confirm").with(csrf())
                        .param("reason", "spam").sessionAttr(SignedInOperator.ATTRIBUTE, signedIn("ADMIN")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("Remove this chat message").contains("#7").contains("id=\"confirm\"");
    }

    @Test
    void theOperatorsPageShowsWhoIsDisabledAndOffersAnAdminToDisableTheOthers() throws Exception {
        String page = page("/operators", "ADMIN");

        assertThat(page).contains("disabled by operator:alice: left the team")
                .contains("/operators/bob/disable/confirm").doesNotContain("/operators/mallory/disable/confirm")
                .as("nobody disables themselves here").doesNotContain("/operators/alice/disable/confirm");
        assertThat(page("/operators", "VIEWER")).doesNotContain("Disable…");
    }

    @Test
    void thePlayerPageListsBansNamingTheOperator() throws Exception {
        assertThat(page("/players/" + MEMBER, "VIEWER")).contains("<td class=\"ban-admin\">operator:alice</td>")
                .contains("botting").contains("until lifted");
    }
}
