package dev.bulwark.economy;

import java.util.ArrayList;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.TestKeys;
import tools.jackson.databind.JsonNode;

/** Who reads what (every read endpoint × role × own or other player), the catalog, paging and the write limit. */
@IntegrationTest
class EconomyAccessTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final TestKeys keys = TestKeys.primary();

    @Test
    void readsFollowTheContract() {
        UUID player = TestPlayers.open(context);
        EconomyClient own = new EconomyClient(port, keys.playerToken(player));
        EconomyClient other = new EconomyClient(port, keys.playerToken(UUID.randomUUID()));
        EconomyClient server = new EconomyClient(port, keys.gameServerToken("gs-eu-1"));
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));
        EconomyClient anonymous = new EconomyClient(port, null);

        for (String path : List.of("/wallet", "/inventory")) {
            String full = "/api/v1/players/" + player + path;
            assertThat(statuses(full, own, other, server, admin, anonymous)).as(path).containsExactly(200, 403, 200, 200, 401);
        }
        String ledger = "/api/v1/players/" + player + "/ledger";
        assertThat(statuses(ledger, own, other, server, admin, anonymous)).containsExactly(200, 403, 403, 200, 401);
        assertThat(statuses("/api/v1/catalog", own, other, server, admin, anonymous)).containsExactly(200, 200, 200, 200, 401);
        assertThat(own.get("/api/v1/players/" + UUID.randomUUID() + "/inventory").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/players/" + UUID.randomUUID() + "/inventory").status()).isEqualTo(404);
    }

    @Test
    void theCatalogOffersTheSeededItemsAndOffers() {
        JsonNode catalog = new EconomyClient(port, keys.playerToken(UUID.randomUUID())).get("/api/v1/catalog").json();

        Map<String, JsonNode> items = byId(catalog.get("items"), "itemId");
        assertThat(items.keySet()).contains("sword", "potion", "soulbound-relic");
        assertThat(items.get("potion").get("maxStack").asInt()).isEqualTo(99);
        assertThat(items.get("potion").get("stackable").asBoolean()).isTrue();
        assertThat(items.get("sword").get("stackable").asBoolean()).isFalse();
        assertThat(items.get("soulbound-relic").get("tradable").asBoolean()).isFalse();
        Map<String, JsonNode> offers = byId(catalog.get("offers"), "offerId");
        assertThat(offers.keySet()).contains("potion-pack", "sword", "gem-to-gold", "guild-charter", "xp-boost", "name-change");
        assertThat(offers.get("potion-pack").get("price").get("currency").asString()).isEqualTo("GOLD");
        assertThat(offers.get("potion-pack").get("effect").get("type").asString()).isEqualTo("LOCAL");
        assertThat(offers.get("xp-boost").get("price").get("currency").asString()).isEqualTo("GEM");
        assertThat(offers.get("guild-charter").get("effect").get("type").asString()).isEqualTo("REMOTE");
        assertThat(offers.get("guild-charter").get("effect").get("params").get(0).asString()).isEqualTo("guildName");
    }

    @Test
    void theOpenApiDocumentDescribesTheEconomyEndpoints() {
        JsonNode paths = new EconomyClient(port, null).get("/v3/api-docs").json().get("paths");

        assertThat(paths.propertyNames()).contains("/api/v1/catalog", "/api/v1/players/{playerId}/wallet",
                "/api/v1/players/{playerId}/inventory", "/api/v1/players/{playerId}/purchases",
                "/api/v1/purchases/{purchaseId}", "/api/v1/players/{playerId}/ledger",
                "/api/v1/players/{playerId}/grants", "/api/v1/players/{playerId}/consumptions", "/api/v1/transfers",
                "/api/v1/admin/players/{playerId}/adjustments", "/api/v1/admin/audit");
        assertThat(paths.get("/api/v1/players/{playerId}/purchases").get("post").get("responses").has("201")).isTrue();
    }

    @Test
    void theLedgerPagesInSequenceOrder() {
        UUID player = TestPlayers.open(context);
        EconomyClient own = new EconomyClient(port, keys.playerToken(player));
        for (int i = 0; i < 3; i++) {
            assertThat(own.post("/api/v1/players/" + player + "/purchases", UUID.randomUUID().toString(),
                    Map.of("offerId", "gem-to-gold", "quantity", 1)).status()).isEqualTo(201);
        }

        JsonNode first = own.get("/api/v1/players/" + player + "/ledger?limit=2").json();
        JsonNode second = own.get("/api/v1/players/" + player + "/ledger?limit=2&after=" + first.get("nextAfter").asLong()).json();
        JsonNode third = own.get("/api/v1/players/" + player + "/ledger?limit=2&after=" + second.get("nextAfter").asLong()).json();

        List<Long> sequences = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("events").forEach(e -> sequences.add(e.get("sequence").asLong()));
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(third.get("nextAfter").isNull()).isTrue();
        assertThat(own.get("/api/v1/players/" + player + "/ledger?limit=501").status()).isEqualTo(400);
    }

    /** The test configuration allows 150 writes per (caller, player) per minute; a refused purchase is a write too. */
    @Test
    void writesBeyondThePlayersLimitAre429WithRetryAfter() {
        UUID player = TestPlayers.open(context);
        EconomyClient own = new EconomyClient(port, keys.playerToken(player));
        Answer last = null;
        int accepted = 0;
        for (int i = 0; i < 200 && (last == null || last.status() != 429); i++) {
            last = own.post("/api/v1/players/" + player + "/purchases", UUID.randomUUID().toString(),
                    Map.of("offerId", "potion-pack", "quantity", 1000));
            if (last.status() == 409) {
                accepted++;
            }
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(accepted).as("the burst, plus what refilled meanwhile (2.5 a second)").isBetween(150, 199);
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(last.problemType()).isEqualTo("rate-limited");
        assertThat(own.get("/api/v1/players/" + player + "/wallet").status()).as("reads are not limited").isEqualTo(200);
        EconomyClient otherPlayer = new EconomyClient(port, keys.playerToken(UUID.randomUUID()));
        assertThat(otherPlayer.post("/api/v1/players/" + player + "/purchases", UUID.randomUUID().toString(),
                Map.of("offerId", "potion-pack", "quantity", 1)).status())
                .as("another caller has its own budget, and is then refused by authorization").isEqualTo(403);
    }

    private static List<Integer> statuses(String path, EconomyClient... clients) {
        List<Integer> statuses = new ArrayList<>();
        for (EconomyClient client : clients) {
            statuses.add(client.get(path).status());
        }
        return statuses;
    }

    private static Map<String, JsonNode> byId(JsonNode array, String field) {
        Map<String, JsonNode> byId = new HashMap<>();
        array.forEach(node -> byId.put(node.get(field).asString(), node));
        return byId;
    }
}
