package dev.bulwark.economy.loot;

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
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestInfrastructure;
import dev.bulwark.testsupport.TestKeys;

/** Loot and consumptions: leases verified offline, the fence, one landing per drop, refusals that change nothing. */
@IntegrationTest
class LootTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void aGrantWithTheHoldersLeaseLandsOnceAndShowsInTheLedger() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));

        Answer first = grant("gs-eu-1", lease, player, "drop-1", Map.of("GOLD", 25), "potion", 2);
        Answer retry = grant("gs-eu-1", lease, player, "drop-1", Map.of("GOLD", 25), "potion", 2);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(first.json().get("ledgerSequence").asLong()).isEqualTo(3);
        assertThat(gold(player)).isEqualTo(1025);
        assertThat(quantity(player, "potion")).isEqualTo(2);
        assertThat(ledgerTypes(player)).containsExactly("WalletOpened", "CurrencyGranted", "LootGranted");
        assertThat(jdbc.sql("SELECT payload->>'epoch' FROM ledger_event WHERE player_id = :p AND sequence = 3")
                .param("p", player).query(String.class).single()).isEqualTo("1");
    }

    @Test
    void aRetriedDropGetsItsFirstAnswerAfterTheLeaseLapsed() {
        UUID player = TestPlayers.open(context);
        Answer first = grant("gs-eu-1", keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5)), player, "drop-lapsed",
                Map.of("GOLD", 10), null, 0);
        String lapsed = keys.lease(player, "gs-eu-1", 1, Duration.ofSeconds(-30));
        Answer retry = grant("gs-eu-1", lapsed, player, "drop-lapsed", Map.of("GOLD", 10), null, 0);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).as(retry.body()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(grant("gs-eu-1", lapsed, player, "drop-new", Map.of("GOLD", 10), null, 0).problemType())
                .as("a new drop with the lapsed lease").isEqualTo("stale-lease");
        assertThat(gold(player)).isEqualTo(1010);
    }

    @Test
    void theSameDropFromTwoServersLandsOnce() {
        UUID player = TestPlayers.open(context);
        String leaseA = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        String leaseB = keys.lease(player, "gs-eu-2", 2, Duration.ofMinutes(5));

        Answer fromA = grant("gs-eu-1", leaseA, player, "drop-shared", Map.of("GOLD", 10), null, 0);
        Answer fromB = grant("gs-eu-2", leaseB, player, "drop-shared", Map.of("GOLD", 10), null, 0);
        Answer newFromB = grant("gs-eu-2", leaseB, player, "drop-new", Map.of("GOLD", 10), null, 0);
        Answer fromAAgain = grant("gs-eu-1", leaseA, player, "drop-shared", Map.of("GOLD", 10), null, 0);
        Answer newFromA = grant("gs-eu-1", leaseA, player, "drop-late", Map.of("GOLD", 10), null, 0);

        assertThat(fromA.status()).isEqualTo(201);
        assertThat(fromB.body()).as("the drop already landed: its first answer").isEqualTo(fromA.body());
        assertThat(newFromB.status()).isEqualTo(201);
        assertThat(fromAAgain.body()).as("a retry of what landed before the move lands nothing new").isEqualTo(fromA.body());
        assertThat(newFromA.status()).as("the old holder is fenced off").isEqualTo(409);
        assertThat(newFromA.problemType()).isEqualTo("stale-lease");
        assertThat(gold(player)).isEqualTo(1020);
    }

    @Test
    void leasesThatAreNotTheCallersOrNotValidAreRefusedAndChangeNothing() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));

        assertThat(grant("gs-eu-2", lease, player, "d1", Map.of("GOLD", 1), null, 0).problemType())
                .as("another server presenting gs-eu-1's lease").isEqualTo("stale-lease");
        assertThat(grant("gs-eu-1", keys.lease(UUID.randomUUID(), "gs-eu-1", 1, Duration.ofMinutes(5)), player, "d2",
                Map.of("GOLD", 1), null, 0).problemType()).as("a lease for another player").isEqualTo("stale-lease");
        assertThat(grant("gs-eu-1", keys.lease(player, "gs-eu-1", 1, Duration.ofSeconds(-30)), player, "d3",
                Map.of("GOLD", 1), null, 0).problemType()).as("expired").isEqualTo("stale-lease");
        Answer forged = grant("gs-eu-1", TestKeys.other().lease(player, "gs-eu-1", 9, Duration.ofMinutes(5)), player,
                "d4", Map.of("GOLD", 1), null, 0);
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.problemType()).isEqualTo("invalid-lease");
        Answer accessTokenAsLease = grant("gs-eu-1", keys.gameServerToken("gs-eu-1"), player, "d5", Map.of("GOLD", 1),
                null, 0);
        assertThat(accessTokenAsLease.problemType()).isEqualTo("invalid-lease");
        EconomyClient asPlayer = new EconomyClient(port, keys.playerToken(player));
        assertThat(asPlayer.post(grants(player), "d6", Map.of("currency", Map.of("GOLD", 1), "reason", "x"),
                Map.of("Authority-Lease", lease)).status()).isEqualTo(403);
        assertThat(grant("gs-eu-1", lease, player, "d7", Map.of("GOLD", -5), null, 0).status()).isEqualTo(400);
        assertThat(grant("gs-eu-1", lease, player, "d8", Map.of(), "no-such-item", 1).status()).isEqualTo(422);
        assertThat(grant("gs-eu-1", lease, player, "d9", Map.of(), "sword", 2).problemType())
                .isEqualTo("max-stack-exceeded");
        assertThat(server("gs-eu-1").post(grants(player), "d10", Map.of("currency", Map.of("GOLD", 1), "reason", "x"))
                .status()).as("no lease").isEqualTo(400);

        assertThat(ledgerTypes(player)).containsExactly("WalletOpened", "CurrencyGranted");
        assertThat(grant("gs-eu-1", lease, player, "d9", Map.of(), "sword", 1).status())
                .as("a refused key stays free").isEqualTo(201);
    }

    /** Amounts are free on loot and adjustments, so overflow must be refused there, before anything is stored. */
    @Test
    void overflowingUnknownAndMalformedLootOrAdjustmentsAreProblemsAndChangeNothing() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        EconomyClient gs = server("gs-eu-1");
        Map<String, String> leased = Map.of("Authority-Lease", lease);
        EconomyClient ops = new EconomyClient(port, keys.adminToken("ops"));
        String adjustments = "/api/v1/admin/players/" + player + "/adjustments";

        assertProblem(gs.post(grants(player), "o1", Map.of("currency", Map.of("GOLD", Long.MAX_VALUE), "reason", "x"),
                leased), 409, "balance-overflow");
        assertProblem(gs.post(grants(player), "o2", "{\"currency\":{\"GOLD\":9223372036854775808},\"reason\":\"x\"}",
                leased), 400, "malformed-request");
        assertProblem(gs.post(grants(player), "o3", Map.of("items", List.of(Map.of("itemId", "potion", "quantity",
                Long.MAX_VALUE), Map.of("itemId", "potion", "quantity", Long.MAX_VALUE)), "reason", "x"), leased),
                422, "amount-too-large");
        assertProblem(gs.post(grants(player), "o4", Map.of("currency", Map.of("GOLD", -5), "reason", "x"), leased),
                400, "invalid-amount");
        assertProblem(gs.post(grants(player), "o5", Map.of("items", List.of(Map.of("itemId", "potion", "quantity", 0)),
                "reason", "x"), leased), 400, "invalid-amount");
        assertProblem(gs.post(grants(player), "o6", Map.of("items", List.of(Map.of("itemId", "dragon-egg", "quantity", 1)),
                "reason", "x"), leased), 422, "unknown-item");
        assertProblem(gs.post(grants(player), "o7", Map.of("items", List.of(Map.of("itemId", "potion", "quantity", 100)),
                "reason", "x"), leased), 409, "max-stack-exceeded");
        assertProblem(gs.post(grants(player), null, Map.of("currency", Map.of("GOLD", 1), "reason", "x"), leased),
                400, "missing-parameter");
        assertProblem(gs.post(grants(player), "o8", "{\"currency\": {\"GOLD\": 1", leased), 400, "malformed-request");
        assertProblem(gs.post(grants(player), "o9", Map.of("currency", Map.of("GOLD", 1), "reason", "x", "bonus", 1),
                leased), 400, "malformed-request");

        assertProblem(ops.post(adjustments, "a1", Map.of("currency", Map.of("GOLD", Long.MAX_VALUE), "reason", "x")),
                409, "balance-overflow");
        assertProblem(ops.post(adjustments, "a2", Map.of("currency", Map.of("GOLD", Long.MIN_VALUE), "reason", "x")),
                400, "invalid-amount");
        assertProblem(ops.post(adjustments, "a3", "{\"currency\":{\"GEM\":-9223372036854775809},\"reason\":\"x\"}"),
                400, "malformed-request");
        assertProblem(ops.post(adjustments, null, Map.of("currency", Map.of("GOLD", 1), "reason", "x")),
                400, "missing-parameter");

        assertThat(ledgerTypes(player)).containsExactly("WalletOpened", "CurrencyGranted");
        assertThat(gold(player)).isEqualTo(1000);
        assertThat(quantity(player, "potion")).isZero();
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.problemType()).as(answer.body()).isEqualTo(type);
    }

    @Test
    void aConsumptionTakesHeldItemsOnceAndRefusesWhatIsNotHeld() {
        UUID player = TestPlayers.open(context);
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        grant("gs-eu-1", lease, player, "drop-p", Map.of(), "potion", 3);

        Answer used = consume(lease, player, "use-1", "potion", 2);
        Answer again = consume(lease, player, "use-1", "potion", 2);
        Answer tooMany = consume(lease, player, "use-2", "potion", 2);

        assertThat(used.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(used.body());
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.problemType()).isEqualTo("items-not-held");
        assertThat(quantity(player, "potion")).isEqualTo(1);
        assertThat(consume(lease, player, "use-3", "potion", 1).status()).isEqualTo(201);
        assertThat(quantity(player, "potion")).as("the row is gone at zero").isZero();
        assertThat(ledgerTypes(player)).containsExactly("WalletOpened", "CurrencyGranted", "LootGranted",
                "ItemsConsumed", "ItemsConsumed");
    }

    @Test
    void anAuthorityChangedEventRaisesTheFenceBeforeTheNewHolderWrites() {
        UUID player = TestPlayers.open(context);
        String old = keys.lease(player, "gs-eu-1", 4, Duration.ofMinutes(5));
        assertThat(grant("gs-eu-1", old, player, "before", Map.of("GOLD", 1), null, 0).status()).isEqualTo(201);

        send(player, 1, new AuthorityChanged(player, AuthorityChanged.Change.TRANSFERRED, "gs-eu-2", 5,
                Instant.now().plusSeconds(300)));

        // probing with a consumption of nothing held: items-not-held until the fence rises, stale-lease after
        await().atMost(Duration.ofSeconds(20)).until(() -> "stale-lease".equals(
                consume("gs-eu-1", old, player, UUID.randomUUID().toString(), "sword", 1).problemType()));
        assertThat(grant("gs-eu-1", old, player, "late", Map.of("GOLD", 1), null, 0).problemType()).isEqualTo("stale-lease");
        assertThat(grant("gs-eu-2", keys.lease(player, "gs-eu-2", 5, Duration.ofMinutes(5)), player, "after",
                Map.of("GOLD", 1), null, 0).status()).isEqualTo(201);

        send(player, 2, new AuthorityChanged(player, AuthorityChanged.Change.RELEASED, null, 5, null));
        String released = keys.lease(player, "gs-eu-2", 5, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(20)).until(() -> "stale-lease".equals(
                consume("gs-eu-2", released, player, UUID.randomUUID().toString(), "sword", 1).problemType()));
        assertThat(gold(player)).isEqualTo(1002);
    }

    private Answer grant(String serverId, String lease, UUID player, String dropId, Map<String, Integer> currency,
            String item, int quantity) {
        Map<String, Object> body = item == null
                ? Map.of("currency", currency, "reason", "test-loot")
                : Map.of("currency", currency, "items", List.of(Map.of("itemId", item, "quantity", quantity)),
                        "reason", "test-loot");
        return server(serverId).post(grants(player), dropId, body, Map.of("Authority-Lease", lease));
    }

    private Answer consume(String lease, UUID player, String key, String item, int quantity) {
        return consume("gs-eu-1", lease, player, key, item, quantity);
    }

    private Answer consume(String serverId, String lease, UUID player, String key, String item, int quantity) {
        return server(serverId).post("/api/v1/players/" + player + "/consumptions", key,
                Map.of("items", List.of(Map.of("itemId", item, "quantity", quantity)), "reason", "drank"),
                Map.of("Authority-Lease", lease));
    }

    private EconomyClient server(String serverId) {
        return new EconomyClient(port, keys.gameServerToken(serverId));
    }

    private static String grants(UUID player) {
        return "/api/v1/players/" + player + "/grants";
    }

    private long gold(UUID player) {
        return TestPlayers.gold(jdbc, player);
    }

    private long quantity(UUID player, String item) {
        return TestPlayers.quantity(jdbc, player, item);
    }

    private List<String> ledgerTypes(UUID player) {
        return TestPlayers.ledgerTypes(jdbc, player);
    }

    private static void send(UUID player, long sequence, AuthorityChanged event) {
        Envelope envelope = Contracts.wrap(event, player.toString(), sequence, Instant.now(), Map.of());
        TestInfrastructure.get().send(Topics.PLAYER_EVENTS.name(), envelope.aggregateId(), Contracts.toBytes(envelope));
    }
}
