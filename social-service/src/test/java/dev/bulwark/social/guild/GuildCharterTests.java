package dev.bulwark.social.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.MessageType;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.social.SocialApi;
import dev.bulwark.social.SocialApi.Response;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * Social's side of the {@code guild-charter} saga, driven through {@code social.commands} with
 * the replies read back from {@code economy.saga-replies}, as the economy sees them.
 */
@IntegrationTest
class GuildCharterTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void createGuildSentTwiceMakesOneGuildAndTheSameReply() {
        UUID leader = UUID.randomUUID();
        CreateGuild command = charter(leader, SocialApi.uniqueName("Twice"));
        SocialApi.sendCommand(command);
        SocialApi.sendCommand(command);

        List<SagaReply> replies = SocialApi.replies(command.sagaId(), 2);
        assertThat(replies).hasSize(2).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SagaOutcome.SUCCEEDED));
        assertThat(replies.get(1)).isEqualTo(replies.get(0));
        UUID guildId = UUID.fromString(replies.get(0).result().get("guildId"));
        assertThat(guildsNamed(command.guildName())).isEqualTo(1);

        Response guild = new SocialApi(port, jdbc).call(leader, GET, "/api/v1/players/{p}/guild", null, leader);
        assertThat(guild.status()).isEqualTo(200);
        assertThat(guild.body().get("guildId").asString()).isEqualTo(guildId.toString());
        assertThat(guild.body().get("role").asString()).isEqualTo("LEADER");

        assertThat(SocialApi.socialEvents(guildId, 2)).satisfiesExactly(
                created -> assertThat(created).isInstanceOfSatisfying(GuildCreated.class, c -> {
                    assertThat(c.name()).isEqualTo(command.guildName());
                    assertThat(c.leaderId()).isEqualTo(leader);
                    assertThat(c.sagaId()).isEqualTo(command.sagaId());
                }),
                joined -> assertThat(joined).isInstanceOfSatisfying(GuildMemberJoined.class, j -> {
                    assertThat(j.playerId()).isEqualTo(leader);
                    assertThat(j.role()).isEqualTo("LEADER");
                }));
    }

    @Test
    void aNameTakenInAnyCaseFails() {
        String name = SocialApi.uniqueName("Night Watch");
        SocialApi.sendCommand(charter(UUID.randomUUID(), name));
        CreateGuild second = charter(UUID.randomUUID(), name.toUpperCase());
        SocialApi.sendCommand(second);

        assertThat(SocialApi.replies(second.sagaId(), 1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SagaOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("name-taken");
        });
        assertThat(guildsNamed(name)).isEqualTo(1);
    }

    @Test
    void aLeaderAlreadyInAGuildOrABadNameFails() {
        UUID leader = UUID.randomUUID();
        new SocialApi(port, jdbc).createGuild(leader, SocialApi.uniqueName("First"));
        CreateGuild second = charter(leader, SocialApi.uniqueName("Second"));
        CreateGuild badName = charter(UUID.randomUUID(), "<script>");
        SocialApi.sendCommand(second);
        SocialApi.sendCommand(badName);

        assertThat(SocialApi.replies(second.sagaId(), 1).getFirst().reason()).isEqualTo("leader-in-a-guild");
        assertThat(SocialApi.replies(badName.sagaId(), 1).getFirst().reason()).isEqualTo("invalid-name");
        assertThat(guildsNamed(second.guildName())).isZero();
    }

    @Test
    void aCancelBeforeTheCommandIsCancelledAndTheLateCommandIsRefused() {
        CreateGuild command = charter(UUID.randomUUID(), SocialApi.uniqueName("Too Late"));
        SocialApi.sendCommand(cancelOf(command));
        SocialApi.sendCommand(command);

        assertThat(SocialApi.replies(command.sagaId(), 2)).extracting(SagaReply::outcome)
                .containsExactly(SagaOutcome.CANCELLED, SagaOutcome.CANCELLED);
        assertThat(guildsNamed(command.guildName())).isZero();
    }

    @Test
    void aCancelAfterTheEffectIsAlreadyDoneWithTheGuild() {
        CreateGuild command = charter(UUID.randomUUID(), SocialApi.uniqueName("Done Deal"));
        SocialApi.sendCommand(command);
        SocialApi.sendCommand(cancelOf(command));

        List<SagaReply> replies = SocialApi.replies(command.sagaId(), 2);
        // Handled in order (one partition); the replies leave through the outbox, which may swap them.
        assertThat(replies).extracting(SagaReply::outcome).containsExactlyInAnyOrder(SagaOutcome.SUCCEEDED, SagaOutcome.ALREADY_DONE);
        assertThat(replies.get(1).result()).isEqualTo(replies.get(0).result()).containsKey("guildId");
        assertThat(guildsNamed(command.guildName())).isEqualTo(1);
    }

    private static CreateGuild charter(UUID leader, String name) {
        return new CreateGuild(UUID.randomUUID(), "create-guild", leader, name);
    }

    private static CancelStep cancelOf(CreateGuild command) {
        return new CancelStep(command.sagaId(), command.step(), MessageType.CREATE_GUILD.id());
    }

    private int guildsNamed(String name) {
        return jdbc.sql("SELECT count(*) FROM guild WHERE lower(name) = lower(:name)").param("name", name)
                .query(Integer.class).single();
    }
}
