package dev.bulwark.social;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.testsupport.IntegrationTest;

/**
 * NUL, control and bidirectional-override characters in a guild search or a chat line are a
 * 400 problem, not a 500 (PostgreSQL refuses NUL), and no message is stored. The platform
 * refuses them before social's code runs.
 */
@IntegrationTest
class HostileTextTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @ValueSource(strings = { "guild\u0000", "gu\u0008ild", "guild\u202E" })
    void aGuildSearchWithControlCharactersIs400(String name) {
        SocialApi.Response refused = new SocialApi(port, jdbc).call(UUID.randomUUID(), HttpMethod.GET,
                "/api/v1/guilds?name={name}", null, name);

        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.problemType()).isEqualTo("invalid-characters");
    }

    @ParameterizedTest
    @ValueSource(strings = { "hello\u0000world", "hello\u001Bworld", "evil\u202Etxt.exe", "\u2066isolated\u2069" })
    void aChatLineWithControlOrBidiCharactersIsRefusedAndNotStored(String text) {
        SocialApi api = new SocialApi(port, jdbc);
        UUID leader = api.knownPlayers(1).getFirst();
        UUID guild = api.createGuild(leader, SocialApi.uniqueName("Hostile"));

        SocialApi.Response refused = api.call(leader, HttpMethod.POST, "/api/v1/guilds/{guildId}/messages",
                Map.of("text", text), guild);

        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.problemType()).isEqualTo("invalid-characters");
        assertThat(api.call(leader, HttpMethod.GET, "/api/v1/guilds/{guildId}/messages", null, guild).body().size())
                .isZero();
    }
}
