package dev.bulwark.system;

import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.clientToken;
import static dev.bulwark.system.SystemStack.get;
import static dev.bulwark.system.SystemStack.getJson;
import static dev.bulwark.system.SystemStack.logLines;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.register;
import static dev.bulwark.system.SystemStack.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.SystemStack.Registered;
import tools.jackson.databind.JsonNode;

/**
 * Paid actions whose effect lives in another service, end to end on the process stack: the
 * economy holds the price, the participant (social or player-core) applies the effect, and the
 * hold is captured or released — also when the participant is frozen past the deadline.
 */
class SagaSystemTests {

    private static final long STARTER_GOLD = 1000;
    private static final long STARTER_GEM = 10;
    private static final long CHARTER_PRICE = 500;
    private static final long NAME_CHANGE_PRICE = 3;

    private static StackController stack;
    private static String operator;

    @BeforeAll
    static void stack() throws Exception {
        stack = SystemStack.get();
        operator = clientToken("ops", "dev-secret-ops");
    }

    @Test
    void aGuildCharterCapturesTheGoldAndTheBuyerLeadsTheNewGuild() throws Exception {
        Registered buyer = playerWithWallet("charter");
        String guildName = "Wolves " + shortId();

        UUID purchase = buy(buyer, "guild-charter", "guildName", guildName);

        assertThat(awaitSettled(buyer, purchase).get("status").asString()).isEqualTo("COMPLETED");
        assertWallet(buyer, STARTER_GOLD - CHARTER_PRICE, 0, STARTER_GEM, 0);
        JsonNode guild = getJson(Service.SOCIAL, "/api/v1/players/" + buyer.id() + "/guild", buyer.token());
        assertThat(guild.toString()).contains(guildName).contains("LEADER");
    }

    @Test
    void aTakenGuildNameFailsAndReleasesExactlyTheHeldGold() throws Exception {
        Registered first = playerWithWallet("first");
        Registered second = playerWithWallet("second");
        String guildName = "Ravens " + shortId();
        assertThat(awaitSettled(first, buy(first, "guild-charter", "guildName", guildName)).get("status").asString())
                .isEqualTo("COMPLETED");

        JsonNode refused = awaitSettled(second, buy(second, "guild-charter", "guildName", guildName.toUpperCase()));

        assertThat(refused.get("status").asString()).isEqualTo("FAILED");
        assertThat(refused.get("reason").asString()).isEqualTo("name-taken");
        assertWallet(second, STARTER_GOLD, 0, STARTER_GEM, 0);
        assertThat(ledgerTypes(second)).containsSubsequence("HoldPlaced", "HoldReleased").doesNotContain("HoldCaptured");
    }

    @Test
    void aNameChangeRenamesThePlayerAndSpendsTheGems() throws Exception {
        Registered buyer = playerWithWallet("rename");
        String newName = "Nova " + shortId();

        UUID purchase = buy(buyer, "name-change", "displayName", newName);

        assertThat(awaitSettled(buyer, purchase).get("status").asString()).isEqualTo("COMPLETED");
        assertWallet(buyer, STARTER_GOLD, 0, STARTER_GEM - NAME_CHANGE_PRICE, 0);
        assertThat(displayName(buyer)).isEqualTo(newName);
    }

    @Test
    void aParticipantFrozenPastTheDeadlineGetsCancelAndTheOutcomeIsConsistent() throws Exception {
        Registered buyer = playerWithWallet("frozen");
        String before = displayName(buyer);
        String newName = "Frost " + shortId();

        stack.pauseService(Service.PLAYER_CORE);
        UUID purchase;
        try {
            purchase = buy(buyer, "name-change", "displayName", newName);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> saga(purchase).get("state").asString(), "CANCELLING"::equals);
            assertWallet(buyer, STARTER_GOLD, 0, STARTER_GEM - NAME_CHANGE_PRICE, NAME_CHANGE_PRICE);
            assertThat(saga(purchase).get("steps").toString()).contains("sent CancelStep");
        } finally {
            stack.resumeService(Service.PLAYER_CORE);
        }

        JsonNode settled = awaitSettled(buyer, purchase);
        String name = displayName(buyer);
        System.out.println("[system-test] frozen participant: purchase " + settled.get("status").asString()
                + ", display name " + name + ", saga steps " + saga(purchase).get("steps"));
        if (settled.get("status").asString().equals("COMPLETED")) {
            assertThat(name).as("captured, so the effect happened").isEqualTo(newName);
            assertWallet(buyer, STARTER_GOLD, 0, STARTER_GEM - NAME_CHANGE_PRICE, 0);
        } else {
            assertThat(settled.get("status").asString()).isEqualTo("FAILED");
            assertThat(name).as("released, so the effect did not happen").isEqualTo(before);
            assertWallet(buyer, STARTER_GOLD, 0, STARTER_GEM, 0);
        }
    }

    @Test
    void aPaidActionKeepsItsCallersTraceInBothServicesStructuredLogs() throws Exception {
        Registered buyer = playerWithWallet("traced");
        String traceId = randomHex(32);

        UUID purchase = buy(buyer, "name-change", "displayName", "Tracer " + shortId(),
                "traceparent", "00-" + traceId + "-" + randomHex(16) + "-01");

        assertThat(awaitSettled(buyer, purchase).get("status").asString()).isEqualTo("COMPLETED");
        // The participant's line comes from handling the command it read from Kafka, the orchestrator's from
        // handling the reply: both in the trace the game client started, as one JSON object per line.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(logLines(Service.PLAYER_CORE, purchase.toString()))
                    .anySatisfy(line -> assertThat(line.toString()).contains("ChangeDisplayName").contains(traceId));
            assertThat(logLines(Service.GAME_ECONOMY, purchase.toString()))
                    .anySatisfy(line -> assertThat(line.toString()).contains("COMPLETED").contains(traceId));
        });
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return hex.substring(0, digits);
    }

    static Registered playerWithWallet(String prefix) throws Exception {
        Registered player = register(prefix + "-" + shortId());
        await().atMost(Duration.ofSeconds(60)).until(
                () -> get(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token()).statusCode() == 200);
        return player;
    }

    private static UUID buy(Registered buyer, String offerId, String param, String value, String... headers)
            throws Exception {
        List<String> allHeaders = new ArrayList<>(List.of("Idempotency-Key", UUID.randomUUID().toString()));
        allHeaders.addAll(List.of(headers));
        HttpResponse<String> response = post(Service.GAME_ECONOMY, "/api/v1/players/" + buyer.id() + "/purchases",
                buyer.token(), JSON.writeValueAsString(java.util.Map.of("offerId", offerId, "quantity", 1,
                        "params", java.util.Map.of(param, value))),
                allHeaders.toArray(String[]::new));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(response.body()).get("purchaseId").asString());
    }

    private static JsonNode awaitSettled(Registered buyer, UUID purchase) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> getJson(Service.GAME_ECONOMY, "/api/v1/purchases/" + purchase, buyer.token()),
                        p -> !p.get("status").asString().equals("PENDING"));
    }

    private static JsonNode saga(UUID sagaId) throws Exception {
        return getJson(Service.GAME_ECONOMY, "/api/v1/admin/sagas/" + sagaId, operator);
    }

    static void assertWallet(Registered player, long gold, long heldGold, long gem, long heldGem) throws Exception {
        JsonNode wallet = getJson(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token());
        assertThat(List.of(wallet.get("balances").get("GOLD").asLong(), wallet.get("held").get("GOLD").asLong(),
                wallet.get("balances").get("GEM").asLong(), wallet.get("held").get("GEM").asLong()))
                .as("GOLD, held GOLD, GEM, held GEM of %s", player.id())
                .containsExactly(gold, heldGold, gem, heldGem);
    }

    static String displayName(Registered player) throws Exception {
        return getJson(Service.PLAYER_CORE, "/api/v1/players/" + player.id(), player.token()).get("displayName").asString();
    }

    static List<String> ledgerTypes(Registered player) throws Exception {
        JsonNode events = getJson(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/ledger?limit=500",
                player.token()).get("events");
        return events.valueStream().map(e -> e.get("type").asString()).toList();
    }
}
