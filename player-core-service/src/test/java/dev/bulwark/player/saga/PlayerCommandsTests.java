package dev.bulwark.player.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRenamed;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.player.Api;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;

/** The saga participant through real Kafka: commands on {@code player.commands}, replies on {@code economy.saga-replies}. */
@IntegrationTest
class PlayerCommandsTests {

    @LocalServerPort
    int port;

    Api api;
    UUID playerId;
    String playerToken;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        Api.Response registered = api.register();
        playerId = UUID.fromString(registered.text("playerId"));
        playerToken = registered.text("accessToken");
    }

    @Test
    void anXpBoostRaisesExperienceWrittenByTheGameServerAndARepeatHasNoSecondEffect() {
        GrantXpBoost boost = new GrantXpBoost(UUID.randomUUID(), "grant-xp-boost", playerId, 50, 3600);
        send(boost);
        send(boost);

        List<SagaReply> replies = replies(boost.sagaId(), 2);
        assertThat(replies).extracting(SagaReply::outcome).containsExactly(SagaOutcome.SUCCEEDED, SagaOutcome.SUCCEEDED);
        assertThat(replies.get(1)).isEqualTo(replies.get(0));

        String server = api.clientToken("gs-eu-1");
        String lease = api.call(HttpMethod.POST, "/api/v1/players/" + playerId + "/authority", server, Map.of(), null)
                .text("lease");
        Api.Response gained = api.call(HttpMethod.POST, "/api/v1/players/" + playerId + "/experience", server,
                Map.of("Authority-Lease", lease), Map.of("amount", 100));
        assertThat(gained.body().get("bonusPercent").asInt()).isEqualTo(50);
        assertThat(gained.body().get("gained").asLong()).isEqualTo(150);
        assertThat(gained.body().get("player").get("experience").asLong()).isEqualTo(150);
    }

    @Test
    void aNameChangeRenamesAndPublishesPlayerRenamedAndATakenNameFailsWithAReason() {
        String newName = "Renamed " + UUID.randomUUID().toString().substring(0, 8);
        ChangeDisplayName rename = new ChangeDisplayName(UUID.randomUUID(), "change-display-name", playerId, newName);
        send(rename);

        assertThat(replies(rename.sagaId(), 1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SagaOutcome.SUCCEEDED);
            assertThat(r.result()).containsEntry("displayName", newName);
        });
        assertThat(api.get("/api/v1/players/" + playerId, playerToken).text("displayName")).isEqualTo(newName);
        List<Envelope> renamed = Api.events(playerId, "PlayerRenamed", 1);
        assertThat(renamed).hasSize(1);
        assertThat(((PlayerRenamed) Contracts.payload(renamed.getFirst())).displayName()).isEqualTo(newName);

        UUID other = UUID.fromString(api.register().text("playerId"));
        ChangeDisplayName taken = new ChangeDisplayName(UUID.randomUUID(), "change-display-name", other,
                newName.toUpperCase());
        ChangeDisplayName invalid = new ChangeDisplayName(UUID.randomUUID(), "change-display-name", other, "<script>");
        send(taken);
        send(invalid);

        assertThat(replies(taken.sagaId(), 1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SagaOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("name-taken");
        });
        assertThat(replies(invalid.sagaId(), 1)).extracting(SagaReply::reason).containsExactly("invalid-name");
    }

    @Test
    void aCancelBeforeTheCommandIsCancelledAndTheLateCommandIsRefused() {
        ChangeDisplayName rename = new ChangeDisplayName(UUID.randomUUID(), "change-display-name", playerId,
                "Too Late " + UUID.randomUUID().toString().substring(0, 6));
        send(new CancelStep(rename.sagaId(), rename.step(), MessageType.CHANGE_DISPLAY_NAME.id()));
        send(rename);

        assertThat(replies(rename.sagaId(), 2)).extracting(SagaReply::outcome)
                .containsExactly(SagaOutcome.CANCELLED, SagaOutcome.CANCELLED);
        assertThat(api.get("/api/v1/players/" + playerId, playerToken).text("displayName"))
                .isNotEqualTo(rename.displayName());
    }

    @Test
    void aCancelAfterTheBoostIsAlreadyDone() {
        GrantXpBoost boost = new GrantXpBoost(UUID.randomUUID(), "grant-xp-boost", playerId, 20, 60);
        send(boost);
        send(new CancelStep(boost.sagaId(), boost.step(), MessageType.GRANT_XP_BOOST.id()));

        // Handled in order (one partition); the replies leave through the outbox, which may swap them.
        assertThat(replies(boost.sagaId(), 2)).extracting(SagaReply::outcome)
                .containsExactlyInAnyOrder(SagaOutcome.SUCCEEDED, SagaOutcome.ALREADY_DONE);
    }

    private static void send(SagaCommand command) {
        Envelope envelope = Contracts.wrap(command, command.sagaId().toString(), 1, Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.PLAYER_COMMANDS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }

    private static List<SagaReply> replies(UUID sagaId, int count) {
        return TestInfrastructure.get().awaitRecords(Topics.ECONOMY_SAGA_REPLIES.name(), sagaId.toString(), count,
                        Duration.ofSeconds(30)).stream()
                .map(bytes -> (SagaReply) Contracts.payload(Contracts.fromBytes(bytes)))
                .toList();
    }
}
