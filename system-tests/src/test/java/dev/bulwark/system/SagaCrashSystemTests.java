package dev.bulwark.system;

import static dev.bulwark.system.SagaSystemTests.assertWallet;
import static dev.bulwark.system.SagaSystemTests.displayName;
import static dev.bulwark.system.SagaSystemTests.ledgerTypes;
import static dev.bulwark.system.SagaSystemTests.playerWithWallet;
import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.clientToken;
import static dev.bulwark.system.SystemStack.getJson;
import static dev.bulwark.system.SystemStack.onEveryEconomyShard;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.SystemStack.Registered;
import tools.jackson.databind.JsonNode;

/**
 * The economy killed at named points of a paid action's saga (its crash drill switch,
 * {@code BULWARK_CRASH_POINT}, halts the JVM there like SIGKILL) and started again: every saga
 * ends COMPLETED or FAILED, the effect exists exactly when the hold was captured, and the audit
 * finds no drift.
 *
 * <p>An economy start costs about a minute on two cores, so the restarts are chained: the start
 * that arms the next point is also the one that recovers the previous crash. The order makes
 * that safe — each armed point is one the previous saga's recovery does not pass through.
 */
class SagaCrashSystemTests {

    private static final long STARTER_GOLD = 1000;
    private static final long STARTER_GEM = 10;
    private static final long NAME_CHANGE_PRICE = 3;
    private static final Duration SETTLE = Duration.ofSeconds(150);

    private record Crash(String point, Registered buyer, String key, String body, String before, String newName,
            UUID purchaseId, String observedWhileDown) {
    }

    @Test
    void aSagaCutOffAtEachNamedPointSettlesAfterTheRestartWithNoEffectWithoutACapture() throws Exception {
        StackController stack = SystemStack.get();
        String operator = clientToken("ops", "dev-secret-ops");
        stack.stopService(Service.GAME_ECONOMY);
        Crash previous = null;
        for (String point : List.of("saga-after-reply-consumed", "saga-after-command-written", "saga-after-hold")) {
            stack.startService(Service.GAME_ECONOMY, Map.of("BULWARK_CRASH_POINT", point));
            if (previous != null) {
                settles(previous, operator);
            }
            previous = crash(stack, point);
        }
        stack.startService(Service.GAME_ECONOMY);
        settles(previous, operator);
    }

    private static Crash crash(StackController stack, String point) throws Exception {
        Registered buyer = playerWithWallet("crash");
        String before = displayName(buyer);
        String newName = "Crash " + shortId();
        String key = UUID.randomUUID().toString();
        String body = JSON.writeValueAsString(Map.of("offerId", "name-change", "quantity", 1,
                "params", Map.of("displayName", newName)));
        try {
            purchase(buyer, key, body);
        } catch (IOException cutOff) {
            // expected for the start points: the economy dies before it answers
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !stack.isAlive(Service.GAME_ECONOMY));
        UUID purchaseId = sagaOf(buyer.id());
        assertThat(purchaseId).as("the saga row committed before the crash at %s", point).isNotNull();

        String observed;
        switch (point) {
            case "saga-after-command-written" -> {
                assertThat(unsentPublications(purchaseId)).as("the command is still in the outbox").isPositive();
                Thread.sleep(3000);
                assertThat(displayName(buyer)).as("the command never reached player-core").isEqualTo(before);
                observed = "command unsent in the outbox, name unchanged while down";
            }
            case "saga-after-hold" -> {
                assertThat(unsentPublications(purchaseId)).as("the command was sent before the crash").isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> displayName(buyer).equals(newName));
                observed = "command sent, player-core renamed while the economy was down, saga " + sagaState(purchaseId);
            }
            default -> {
                await().atMost(Duration.ofSeconds(20)).until(() -> displayName(buyer).equals(newName));
                observed = "reply read, capture rolled back with the crash, saga " + sagaState(purchaseId);
            }
        }
        return new Crash(point, buyer, key, body, before, newName, purchaseId, observed);
    }

    private static void settles(Crash crash, String operator) throws Exception {
        long restarted = System.nanoTime();
        HttpResponse<String> replay = purchase(crash.buyer(), crash.key(), crash.body());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(JSON.readTree(replay.body()).get("purchaseId").asString())
                .as("the retried request names the purchase the crashed one started").isEqualTo(crash.purchaseId().toString());

        JsonNode settled = await().atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> getJson(Service.GAME_ECONOMY, "/api/v1/purchases/" + crash.purchaseId(), crash.buyer().token()),
                        p -> !p.get("status").asString().equals("PENDING"));
        long settleMillis = (System.nanoTime() - restarted) / 1_000_000;
        if (crash.point().equals("saga-after-command-written")) {
            // The cut-off command is marked stale and resent; a participant that already answered a Cancel for
            // this step must not apply it now, so the checks below run after it was delivered.
            await().alias("the command cut off before its send is sent by the relay after the restart").atMost(SETTLE)
                    .until(() -> unsentPublications(crash.purchaseId()) == 0);
            Thread.sleep(3000);
        }
        String status = settled.get("status").asString();
        String name = displayName(crash.buyer());
        List<String> ledger = ledgerTypes(crash.buyer());
        if (status.equals("COMPLETED")) {
            assertThat(name).as("captured, so the effect exists").isEqualTo(crash.newName());
            assertThat(ledger).containsSubsequence("HoldPlaced", "HoldCaptured").doesNotContain("HoldReleased");
            assertWallet(crash.buyer(), STARTER_GOLD, 0, STARTER_GEM - NAME_CHANGE_PRICE, 0);
        } else {
            assertThat(status).isEqualTo("FAILED");
            assertThat(name).as("released, so no effect").isEqualTo(crash.before());
            assertThat(ledger).containsSubsequence("HoldPlaced", "HoldReleased").doesNotContain("HoldCaptured");
            assertWallet(crash.buyer(), STARTER_GOLD, 0, STARTER_GEM, 0);
        }
        HttpResponse<String> audit = post(Service.GAME_ECONOMY, "/api/v1/admin/audit", operator, "{}");
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        assertThat(JSON.readTree(audit.body()).get("drift").asLong()).as(audit.body()).isZero();

        System.out.printf("[crash-test] %s: %s; after restart %s in %d ms (display name %s, ledger %s), audit drift 0%n",
                crash.point(), crash.observedWhileDown(), status, settleMillis,
                name.equals(crash.newName()) ? "changed" : "unchanged", ledger);
    }

    private static HttpResponse<String> purchase(Registered buyer, String key, String body) throws Exception {
        return post(Service.GAME_ECONOMY, "/api/v1/players/" + buyer.id() + "/purchases", buyer.token(), body,
                "Idempotency-Key", key);
    }

    /** The player's saga, on whichever shard owns the player. */
    private static UUID sagaOf(UUID playerId) throws Exception {
        return onEveryEconomyShard(db -> {
            try (PreparedStatement query = db.prepareStatement("SELECT id FROM saga WHERE player_id = ?")) {
                query.setObject(1, playerId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? rows.getObject(1, UUID.class) : null;
                }
            }
        }).stream().filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String sagaState(UUID sagaId) throws Exception {
        return onEveryEconomyShard(db -> {
            try (PreparedStatement query = db.prepareStatement("SELECT state FROM saga WHERE id = ?")) {
                query.setObject(1, sagaId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        }).stream().filter(Objects::nonNull).findFirst().orElseThrow();
    }

    /** The saga's messages still in the outboxes (each shard's relay deletes a row once Kafka acknowledged it). */
    private static long unsentPublications(UUID sagaId) throws Exception {
        return onEveryEconomyShard(db -> {
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT count(*) FROM outbox_message WHERE envelope LIKE ?")) {
                query.setString(1, "%" + sagaId + "%");
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }).stream().mapToLong(Long::longValue).sum();
    }
}
