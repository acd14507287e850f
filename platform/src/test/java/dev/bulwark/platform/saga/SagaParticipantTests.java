package dev.bulwark.platform.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.platform.TestPlatformApplication.GuildCharterParticipant;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * The participant's side of the saga protocol through real Kafka and PostgreSQL: commands are
 * delivered on the commands topic, replies read back from {@code economy.saga-replies}.
 */
@IntegrationTest
class SagaParticipantTests {

    @Autowired
    GuildCharterParticipant participant;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRepeatedCommandHasOneEffectAndTheSameReply() {
        CreateGuild command = charter("Repeaters");
        send(command);
        send(command);

        List<SagaReply> replies = replies(command.sagaId(), 2);
        assertThat(replies).hasSize(2).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SagaOutcome.SUCCEEDED));
        assertThat(replies.get(1)).isEqualTo(replies.get(0));
        assertThat(guilds("Repeaters")).isEqualTo(1);
    }

    @Test
    void aTakenNameFailsWithAReasonAndNoEffect() {
        CreateGuild first = charter("Taken Name");
        send(first);
        replies(first.sagaId(), 1);
        CreateGuild second = charter("TAKEN name");
        send(second);

        assertThat(replies(second.sagaId(), 1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SagaOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("name-taken");
        });
        assertThat(guilds("taken name")).isEqualTo(1);
    }

    @Test
    void aCancelBeforeTheCommandIsCancelledAndTheLateCommandIsRefused() {
        CreateGuild command = charter("Too Late");
        send(cancelOf(command));
        send(command);

        assertThat(replies(command.sagaId(), 2)).extracting(SagaReply::outcome)
                .containsExactly(SagaOutcome.CANCELLED, SagaOutcome.CANCELLED);
        assertThat(guilds("Too Late")).isZero();
    }

    @Test
    void aCancelAfterTheEffectIsAlreadyDoneWithTheResult() {
        CreateGuild command = charter("Done Deal");
        send(command);
        replies(command.sagaId(), 1);
        send(cancelOf(command));

        // Replies leave through the outbox, which does not keep their order on the topic.
        List<SagaReply> replies = replies(command.sagaId(), 2);
        assertThat(replies).extracting(SagaReply::outcome)
                .containsExactlyInAnyOrder(SagaOutcome.SUCCEEDED, SagaOutcome.ALREADY_DONE);
        assertThat(replies.get(1).result()).isEqualTo(replies.get(0).result()).containsKey("guildId");
        assertThat(guilds("Done Deal")).isEqualTo(1);
    }

    private static CreateGuild charter(String name) {
        return new CreateGuild(UUID.randomUUID(), "create-guild", UUID.randomUUID(), name);
    }

    private static CancelStep cancelOf(CreateGuild command) {
        return new CancelStep(command.sagaId(), command.step(), MessageType.CREATE_GUILD.id());
    }

    /** Sends on the command's own topic, keyed by saga, in order (one partition per saga). */
    private static void send(SagaCommand command) {
        Envelope envelope = Contracts.wrap(command, command.sagaId().toString(), 1, Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.SOCIAL_COMMANDS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }

    private static List<SagaReply> replies(UUID sagaId, int count) {
        return TestInfrastructure.get().awaitRecords(Topics.ECONOMY_SAGA_REPLIES.name(), sagaId.toString(), count,
                        Duration.ofSeconds(30)).stream()
                .map(bytes -> (SagaReply) Contracts.payload(Contracts.fromBytes(bytes)))
                .toList();
    }

    private int guilds(String name) {
        return jdbc.sql("SELECT count(*) FROM test_guild WHERE lower(name) = lower(:name)").param("name", name)
                .query(Integer.class).single();
    }
}
