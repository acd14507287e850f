package dev.bulwark.economy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient;
import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/** Operator adjustments with their audit log, and the ledger audit that finds drift when there is some. */
@IntegrationTest
class AdminTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Autowired
    ScheduledLedgerAudit scheduled;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void theAuditRunsOnItsOwnScheduleAndOnOneReplicaAtATime() throws Exception {
        // The tests' schedule starts two seconds after start-up, without anybody calling the endpoint.
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns() >= 1);

        double before = scheduledRuns();
        try (Connection otherReplica = dataSource.getConnection()) {
            otherReplica.setAutoCommit(false);
            try (Statement lock = otherReplica.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(hashtextextended('ledger-audit', 0))");
            }
            scheduled.run();
            assertThat(scheduledRuns()).as("another replica is auditing").isEqualTo(before);
            otherReplica.rollback();
        }
        scheduled.run();
        assertThat(scheduledRuns()).isEqualTo(before + 1);
        assertThat(meters.get("bulwark.ledger.audit.drift").gauge().value()).isZero();
    }

    private double scheduledRuns() {
        Counter runs = meters.find("bulwark.ledger.audit.scheduled.runs").counter();
        return runs == null ? 0 : runs.count();
    }

    @Test
    void anAdjustmentIsALedgerEventAndAnAuditLogRowAndNeverGoesBelowZero() {
        UUID player = TestPlayers.open(context);
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        String adjustments = "/api/v1/admin/players/" + player + "/adjustments";

        Answer clawback = admin.post(adjustments, "fix-1", Map.of("currency", Map.of("GOLD", -400, "GEM", 2),
                "items", List.of(Map.of("itemId", "potion", "quantity", 3)), "reason", "ticket 42"));
        Answer retry = admin.post(adjustments, "fix-1", Map.of("currency", Map.of("GOLD", -400, "GEM", 2),
                "items", List.of(Map.of("itemId", "potion", "quantity", 3)), "reason", "ticket 42"));
        Answer belowZero = admin.post(adjustments, "fix-2", Map.of("currency", Map.of("GOLD", -601), "reason", "too much"));
        Answer itemsBelowZero = admin.post(adjustments, "fix-3",
                Map.of("items", List.of(Map.of("itemId", "potion", "quantity", -4)), "reason", "too much"));
        Answer noReason = admin.post(adjustments, "fix-4", Map.of("currency", Map.of("GOLD", 1)));

        assertThat(clawback.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(clawback.body());
        assertThat(belowZero.status()).isEqualTo(409);
        assertThat(belowZero.problemType()).isEqualTo("insufficient-funds");
        assertThat(itemsBelowZero.problemType()).isEqualTo("items-not-held");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT gold || '/' || gem FROM wallet WHERE player_id = :p").param("p", player)
                .query(String.class).single()).isEqualTo("600/12");
        assertThat(jdbc.sql("SELECT admin_id || '|' || reason || '|' || ledger_sequence || '|' || (payload->>'adjustmentId') FROM admin_audit_log WHERE player_id = :p")
                .param("p", player).query(String.class).list())
                .containsExactly("ops|ticket 42|3|" + clawback.json().get("adjustmentId").asString());
        assertThat(new EconomyClient(port, keys.playerToken(player))
                .post(adjustments, "fix-5", Map.of("currency", Map.of("GOLD", 1), "reason", "me")).status()).isEqualTo(403);
        assertThat(new EconomyClient(port, keys.gameServerToken("gs-eu-1"))
                .post(adjustments, "fix-6", Map.of("currency", Map.of("GOLD", 1), "reason", "me")).status()).isEqualTo(403);
    }

    @Test
    void anAuditFoldsOnlyTheEventsSinceTheLastOneAndFullFoldsEverything() {
        UUID player = TestPlayers.open(context);
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        assertThat(admin.post("/api/v1/admin/audit", null, "").status()).isEqualTo(200);
        context.getBean(Adjustments.class).apply(player, "ops", new Change(Map.of(Currency.GOLD, 7L), List.of()), "TEST");

        JsonNode next = admin.post("/api/v1/admin/audit", null, "").json();
        JsonNode full = admin.post("/api/v1/admin/audit?full=true", null, "").json();

        assertThat(next.get("players").asLong()).as("only the player with a new event").isEqualTo(1);
        assertThat(next.get("events").asLong()).isEqualTo(1);
        assertThat(next.get("drift").asLong()).isZero();
        long wallets = jdbc.sql("SELECT count(*) FROM wallet").query(Long.class).single();
        long events = jdbc.sql("SELECT count(*) FROM ledger_event").query(Long.class).single();
        assertThat(full.get("full").asBoolean()).isTrue();
        assertThat(full.get("players").asLong()).isEqualTo(wallets);
        assertThat(full.get("events").asLong()).isEqualTo(events);
        assertThat(full.get("supply").get("GOLD").get("expected").asLong())
                .as("the flows kept up to the checkpoints add up to the same supply")
                .isEqualTo(next.get("supply").get("GOLD").get("expected").asLong());
    }

    @Test
    void anAuditAskedForWhileAnotherRunsIsRefusedClearly() throws Exception {
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        try (Connection otherReplica = dataSource.getConnection()) {
            otherReplica.setAutoCommit(false);
            try (Statement lock = otherReplica.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(hashtextextended('ledger-audit', 0))");
            }
            Answer refused = admin.post("/api/v1/admin/audit", null, "");
            otherReplica.rollback();

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.problemType()).isEqualTo("audit-running");
        }
        assertThat(admin.post("/api/v1/admin/audit", null, "").status()).isEqualTo(200);
    }

    @Test
    void theAuditReplaysEveryLedgerFindsNoDriftAndFindsATamperedProjection() {
        UUID player = TestPlayers.open(context);
        UUID other = TestPlayers.open(context);
        EconomyClient own = new EconomyClient(port, keys.playerToken(player));
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        own.post("/api/v1/players/" + player + "/purchases", "buy", Map.of("offerId", "potion-pack", "quantity", 2));
        own.post("/api/v1/transfers", "give", Map.of("fromPlayerId", player, "toPlayerId", other,
                "currency", Map.of("GOLD", 70), "items", List.of(Map.of("itemId", "potion", "quantity", 4))));
        admin.post("/api/v1/admin/players/" + other + "/adjustments", "adj",
                Map.of("currency", Map.of("GOLD", 5), "reason", "goodwill"));
        String lease = keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5));
        EconomyClient server = new EconomyClient(port, keys.gameServerToken("gs-eu-1"));
        server.post("/api/v1/players/" + player + "/grants", "drop", Map.of("currency", Map.of("GOLD", 11),
                "items", List.of(Map.of("itemId", "sword", "quantity", 1)), "reason", "loot"), Map.of("Authority-Lease", lease));
        server.post("/api/v1/players/" + player + "/consumptions", "use", Map.of("items",
                List.of(Map.of("itemId", "potion", "quantity", 1)), "reason", "drank"), Map.of("Authority-Lease", lease));

        JsonNode clean = admin.post("/api/v1/admin/audit", null, "").json();

        assertThat(clean.get("drift").asLong()).isZero();
        assertThat(clean.get("playersWithDrift").size()).isZero();
        assertThat(clean.get("players").asLong()).isGreaterThanOrEqualTo(2);
        JsonNode gold = clean.get("supply").get("GOLD");
        assertThat(gold.get("drift").asLong()).isZero();
        assertThat(gold.get("expected").asLong()).isEqualTo(gold.get("actual").asLong());
        assertThat(gold.get("flows").get("transfers").asLong()).as("transfers net out").isZero();
        assertThat(clean.get("supply").get("item:potion").get("flows").get("consumed").asLong()).isNegative();
        assertThat(meters.get("bulwark.ledger.audit.drift").gauge().value()).isZero();

        jdbc.sql("UPDATE wallet SET gold = gold + 1 WHERE player_id = :p").param("p", player).update();
        try {
            JsonNode tampered = admin.post("/api/v1/admin/audit", null, "").json();
            assertThat(tampered.get("playersWithDrift").get(0).get("playerId").asString()).isEqualTo(player.toString());
            assertThat(tampered.get("supply").get("GOLD").get("drift").asLong()).isEqualTo(1);
            assertThat(tampered.get("drift").asLong()).isEqualTo(2);
            assertThat(meters.get("bulwark.ledger.audit.drift").gauge().value()).isEqualTo(2);
        } finally {
            jdbc.sql("UPDATE wallet SET gold = gold - 1 WHERE player_id = :p").param("p", player).update();
        }
        assertThat(new EconomyClient(port, keys.playerToken(player)).post("/api/v1/admin/audit", null, "").status())
                .isEqualTo(403);
    }
}
