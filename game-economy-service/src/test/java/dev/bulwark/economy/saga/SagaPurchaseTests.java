package dev.bulwark.economy.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topic;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.events.saga.SagaOutcome;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Paid actions with a remote effect through the real orchestrator, PostgreSQL and Kafka. The test
 * plays the participant: it reads the command the economy sent and answers on
 * {@code economy.saga-replies}, so every reply, duplicate and silence is under its control.
 */
@IntegrationTest
class SagaPurchaseTests {

    private static final long STARTER_GOLD = 1000;
    private static final long CHARTER_PRICE = 500;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aCharterTheParticipantGrantedCapturesTheHeldGold() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);

        Answer bought = buyCharter(client, player, "Iron Wolves");
        assertThat(bought.status()).isEqualTo(202);
        UUID sagaId = UUID.fromString(bought.json().get("purchaseId").asString());
        assertThat(bought.header("Location")).isEqualTo("/api/v1/purchases/" + sagaId);
        assertThat(bought.json().get("status").asString()).isEqualTo("PENDING");
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, CHARTER_PRICE);

        CreateGuild command = (CreateGuild) commands(Topics.SOCIAL_COMMANDS, sagaId, 1).getFirst();
        assertThat(command.leaderId()).isEqualTo(player);
        assertThat(command.guildName()).isEqualTo("Iron Wolves");

        reply(command, SagaOutcome.SUCCEEDED, null, Map.of("guildId", "g-42"));

        awaitPurchase(client, sagaId, "COMPLETED");
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, 0);
        assertThat(ledgerTypes(player)).containsSubsequence("HoldPlaced", "HoldCaptured").doesNotContain("HoldReleased");
        assertThat(client.get("/api/v1/purchases/" + sagaId).json().get("steps").toString())
                .contains("hold-funds", "create-guild", "capture-funds");
    }

    @Test
    void aRefusedCharterReleasesExactlyTheHeldGold() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Taken"));
        SagaCommand command = commands(Topics.SOCIAL_COMMANDS, sagaId, 1).getFirst();

        reply(command, SagaOutcome.FAILED, "name-taken", Map.of());

        Answer purchase = awaitPurchase(client, sagaId, "FAILED");
        assertThat(purchase.json().get("reason").asString()).isEqualTo("name-taken");
        assertWallet(client, player, STARTER_GOLD, 0);
        assertThat(ledgerTypes(player)).containsSubsequence("HoldPlaced", "HoldReleased").doesNotContain("HoldCaptured");
    }

    @Test
    void aDuplicatedReplyHasOneEffect() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Twice Told"));
        SagaCommand command = commands(Topics.SOCIAL_COMMANDS, sagaId, 1).getFirst();

        reply(command, SagaOutcome.SUCCEEDED, null, Map.of());
        reply(command, SagaOutcome.SUCCEEDED, null, Map.of());
        reply(command, SagaOutcome.CANCELLED, null, Map.of());

        awaitPurchase(client, sagaId, "COMPLETED");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> ledgerTypes(player).stream().filter(t -> t.startsWith("Hold")).toList(),
                        types -> types.equals(List.of("HoldPlaced", "HoldCaptured")));
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, 0);
    }

    @Test
    void aSilentParticipantGetsCancelAndTheGoldStaysHeldUntilItAnswers() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Slow Guild"));

        List<SagaCommand> sent = commands(Topics.SOCIAL_COMMANDS, sagaId, 3);
        assertThat(sent.get(0)).isInstanceOf(CreateGuild.class);
        assertThat(sent.subList(1, 3)).as("Cancel, and Cancel again while unanswered")
                .allSatisfy(c -> assertThat(c).isInstanceOf(CancelStep.class));
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, CHARTER_PRICE);
        Answer stuck = admin().get("/api/v1/admin/sagas?status=CANCELLING&limit=500");
        assertThat(stuck.body()).contains(sagaId.toString());
        assertThat(meters.get("bulwark.sagas.stuck").tag("saga", "guild-charter").gauge().value()).isPositive();

        reply(sent.get(1), SagaOutcome.CANCELLED, null, Map.of());

        awaitPurchase(client, sagaId, "FAILED");
        assertWallet(client, player, STARTER_GOLD, 0);
        assertThat(meters.get("bulwark.saga.outcomes").tags("saga", "guild-charter", "outcome", "CANCELLED").counter()
                .count()).isPositive();
    }

    @Test
    void anEffectThatHappenedBeforeTheCancelIsPaidFor() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Late Reply"));
        List<SagaCommand> sent = commands(Topics.SOCIAL_COMMANDS, sagaId, 2);

        reply(sent.get(1), SagaOutcome.ALREADY_DONE, null, Map.of("guildId", "g-7"));

        awaitPurchase(client, sagaId, "COMPLETED");
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, 0);
    }

    @Test
    void operatorsSeeStepsAndCanRetryOnlyAsAdmins() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Watched"));

        assertThat(client.get("/api/v1/admin/sagas/" + sagaId).status()).isEqualTo(403);
        Answer retried = admin().post("/api/v1/admin/sagas/" + sagaId + "/retry", null, Map.of());
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("steps").toString()).contains("operator retry");

        List<SagaCommand> sent = commands(Topics.SOCIAL_COMMANDS, sagaId, 2);
        assertThat(sent.get(1)).as("the retry repeats the command with the same dedupe key").isEqualTo(sent.get(0));
        reply(sent.get(0), SagaOutcome.SUCCEEDED, null, Map.of());
        awaitPurchase(client, sagaId, "COMPLETED");
        assertThat(admin().get("/api/v1/admin/sagas/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void anOperatorCancelSendsCancelAtOnceAndTheGoldStaysHeldUntilTheParticipantAnswers() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        UUID sagaId = purchaseId(buyCharter(client, player, "Recalled"));
        assertThat(client.post("/api/v1/admin/sagas/" + sagaId + "/cancel", null, Map.of()).status()).isEqualTo(403);

        Answer cancelling = admin().post("/api/v1/admin/sagas/" + sagaId + "/cancel", null, Map.of());

        assertThat(cancelling.status()).isEqualTo(200);
        assertThat(cancelling.json().get("state").asString()).isEqualTo("CANCELLING");
        assertThat(cancelling.json().get("steps").toString()).contains("CancelStep");
        List<SagaCommand> sent = commands(Topics.SOCIAL_COMMANDS, sagaId, 2);
        assertThat(sent).hasAtLeastOneElementOfType(CreateGuild.class).hasAtLeastOneElementOfType(CancelStep.class);
        assertWallet(client, player, STARTER_GOLD - CHARTER_PRICE, CHARTER_PRICE);

        reply(sent.stream().filter(CancelStep.class::isInstance).findFirst().orElseThrow(), SagaOutcome.CANCELLED, null,
                Map.of());

        awaitPurchase(client, sagaId, "FAILED");
        assertWallet(client, player, STARTER_GOLD, 0);
    }

    @Test
    void aBuyerWhoCannotPayStartsNoSaga() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = client(player);
        assertThat(buyCharter(client, player, "First").status()).isEqualTo(202);
        assertThat(buyCharter(client, player, "Second").status()).isEqualTo(202);

        Answer third = buyCharter(client, player, "Third");

        assertThat(third.status()).isEqualTo(409);
        assertThat(third.problemType()).isEqualTo("insufficient-funds");
        assertThat(jdbc.sql("SELECT count(*) FROM saga WHERE player_id = :p").param("p", player)
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aSagaWhoseDeadlineCannotBeHandledIsParkedAndTheOthersStillGetTheirCancel() {
        UUID broken = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO saga (id, type, player_id, state, step, data, deadline, created_at, updated_at)
                VALUES (:id, 'a-removed-saga-type', :player, 'WAITING', 1, '{}', now() - interval '1 hour', now(), now())""")
                .param("id", broken).param("player", UUID.randomUUID()).update();
        try {
            UUID player = TestPlayers.open(context);
            UUID sagaId = purchaseId(buyCharter(client(player), player, "Behind A Broken Saga"));

            List<SagaCommand> sent = commands(Topics.SOCIAL_COMMANDS, sagaId, 2);
            assertThat(sent.get(1)).as("the deadline of the healthy saga was handled").isInstanceOf(CancelStep.class);
            assertThat(jdbc.sql("SELECT park_reason FROM saga WHERE id = :id").param("id", broken).query(String.class)
                    .single()).contains("a-removed-saga-type");
            double failures = meters.get("bulwark.saga.deadline.failures").tag("saga", "a-removed-saga-type").counter()
                    .count();
            assertThat(failures).isEqualTo(1);
            assertThat(meters.get("bulwark.sagas.parked").gauge().value()).isEqualTo(1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> meters
                    .get("bulwark.saga.deadline.failures").tag("saga", "a-removed-saga-type").counter().count(),
                    count -> count == failures);
            assertThat(admin().get("/api/v1/admin/sagas?limit=500").body()).as("operators still see it")
                    .contains(broken.toString());
        } finally {
            jdbc.sql("DELETE FROM saga WHERE id = :id").param("id", broken).update();
        }
    }

    private Answer buyCharter(EconomyClient client, UUID player, String guildName) {
        return client.post("/api/v1/players/" + player + "/purchases", UUID.randomUUID().toString(),
                Map.of("offerId", "guild-charter", "quantity", 1, "params", Map.of("guildName", guildName)));
    }

    private static UUID purchaseId(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return UUID.fromString(answer.json().get("purchaseId").asString());
    }

    private static List<SagaCommand> commands(Topic topic, UUID sagaId, int count) {
        List<SagaCommand> commands = TestInfrastructure.get()
                .awaitRecords(topic.name(), sagaId.toString(), count, Duration.ofSeconds(30)).stream()
                .map(bytes -> (SagaCommand) Contracts.payload(Contracts.fromBytes(bytes))).toList();
        assertThat(commands).as("commands for saga %s on %s", sagaId, topic.name()).hasSizeGreaterThanOrEqualTo(count);
        return commands;
    }

    private static void reply(SagaCommand command, SagaOutcome outcome, String reason, Map<String, String> result) {
        Envelope envelope = Contracts.wrap(new SagaReply(command.sagaId(), command.step(), outcome, reason, result),
                command.sagaId().toString(), 1, Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.ECONOMY_SAGA_REPLIES.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }

    private static Answer awaitPurchase(EconomyClient client, UUID purchaseId, String status) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/v1/purchases/" + purchaseId),
                a -> a.status() == 200 && a.json().get("status").asString().equals(status));
    }

    private static void assertWallet(EconomyClient client, UUID player, long gold, long heldGold) {
        var wallet = client.get("/api/v1/players/" + player + "/wallet").json();
        assertThat(wallet.get("balances").get("GOLD").asLong()).as("spendable gold").isEqualTo(gold);
        assertThat(wallet.get("held").get("GOLD").asLong()).as("held gold").isEqualTo(heldGold);
    }

    private List<String> ledgerTypes(UUID player) {
        return TestPlayers.ledgerTypes(jdbc, player);
    }

    private EconomyClient client(UUID player) {
        return new EconomyClient(port, TestKeys.primary().playerToken(player));
    }

    private EconomyClient admin() {
        return new EconomyClient(port, TestKeys.primary().adminToken("ops"));
    }
}
