package dev.bulwark.economy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.economy.EconomyClient.Answer;
import dev.bulwark.economy.wallet.TestPlayers;
import dev.bulwark.testsupport.IntegrationTest;
import dev.bulwark.testsupport.RawHttp;
import dev.bulwark.testsupport.TestKeys;

/**
 * Money fields are read exactly as written: a fraction, an exponent, a string or a duplicate
 * key is a 400 problem and moves nothing (it used to move 1 for 1.9, 100 for 1e2). Text with NUL,
 * control or bidirectional-override characters is refused, not a 500.
 */
@IntegrationTest
class HostileMoneyInputTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final TestKeys keys = TestKeys.primary();

    @ParameterizedTest
    @ValueSource(strings = { "1.9", "1e2", "100.0", "\"5\"", "true", "null" })
    void aCoercibleGoldAmountMovesNothing(String amount) {
        UUID from = TestPlayers.open(context);
        UUID to = TestPlayers.open(context);

        Answer refused = new EconomyClient(port, keys.playerToken(from)).post("/api/v1/transfers", key(),
                "{\"fromPlayerId\": \"" + from + "\", \"toPlayerId\": \"" + to + "\", \"currency\": {\"GOLD\": " + amount + "}}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.problemType()).isIn("malformed-request", "invalid-amount");
        assertThat(refused.body()).doesNotContain("java.", "tools.jackson", "Exception");
        assertThat(TestPlayers.gold(jdbc, from)).isEqualTo(1000);
        assertThat(TestPlayers.gold(jdbc, to)).isEqualTo(1000);
    }

    @Test
    void aDuplicateKeyIsRefusedNotLastOneWins() {
        UUID from = TestPlayers.open(context);
        UUID to = TestPlayers.open(context);
        UUID other = TestPlayers.open(context);

        Answer gold = new EconomyClient(port, keys.playerToken(from)).post("/api/v1/transfers", key(),
                "{\"fromPlayerId\": \"" + from + "\", \"toPlayerId\": \"" + to + "\", \"currency\": {\"GOLD\": 1, \"GOLD\": 900}}");
        Answer recipient = new EconomyClient(port, keys.playerToken(from)).post("/api/v1/transfers", key(),
                "{\"fromPlayerId\": \"" + from + "\", \"toPlayerId\": \"" + to + "\", \"toPlayerId\": \"" + other
                        + "\", \"currency\": {\"GOLD\": 1}}");

        for (Answer refused : new Answer[] { gold, recipient }) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.problemType()).isEqualTo("malformed-request");
        }
        assertThat(TestPlayers.gold(jdbc, from)).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.5", "1e0", "\"1\"" })
    void aFractionalOrStringQuantityBuysNothing(String quantity) {
        UUID player = TestPlayers.open(context);

        Answer refused = new EconomyClient(port, keys.playerToken(player)).post("/api/v1/players/" + player + "/purchases",
                key(), "{\"offerId\": \"potion-pack\", \"quantity\": " + quantity + "}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(TestPlayers.gold(jdbc, player)).isEqualTo(1000);
        assertThat(TestPlayers.ledgerTypes(jdbc, player)).as("the wallet's opening only").hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Guild\u0000", "Gu\u0007ild", "Guild\u202E" })
    void controlCharactersInPurchaseParamsAre400NotA500(String guildName) {
        UUID player = TestPlayers.open(context);

        Answer refused = new EconomyClient(port, keys.playerToken(player)).post("/api/v1/players/" + player + "/purchases",
                key(), Map.of("offerId", "guild-charter", "quantity", 1, "params", Map.of("guildName", guildName)));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.problemType()).isEqualTo("invalid-characters");
        assertThat(TestPlayers.ledgerTypes(jdbc, player)).as("the wallet's opening only").hasSize(2);
    }

    @Test
    void aNulInAGrantOrAdjustmentReasonIs400NotA500() {
        UUID player = TestPlayers.open(context);
        EconomyClient server = new EconomyClient(port, keys.gameServerToken("gs-eu-1"));
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));

        Answer grant = server.post("/api/v1/players/" + player + "/grants", key(),
                Map.of("currency", Map.of("GOLD", 1), "reason", "loot\u0000"),
                Map.of("Authority-Lease", keys.lease(player, "gs-eu-1", 1, Duration.ofMinutes(5))));
        Answer adjustment = admin.post("/api/v1/admin/players/" + player + "/adjustments", key(),
                Map.of("currency", Map.of("GOLD", 1), "reason", "ticket\u0000 42"));

        for (Answer refused : new Answer[] { grant, adjustment }) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.problemType()).isEqualTo("invalid-characters");
        }
        assertThat(TestPlayers.gold(jdbc, player)).isEqualTo(1000);
    }

    @Test
    void theMaxStackRefusalReportsTheTrueTotal() {
        UUID player = TestPlayers.open(context);
        EconomyClient client = new EconomyClient(port, keys.playerToken(player));
        assertThat(client.post("/api/v1/players/" + player + "/purchases", key(),
                Map.of("offerId", "potion-pack", "quantity", 19)).status()).isEqualTo(201);

        Answer refused = client.post("/api/v1/players/" + player + "/purchases", key(),
                Map.of("offerId", "potion-pack", "quantity", 1));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).endsWith("this would make 100");
    }

    @Test
    void aMalformedPathIdOrEnumNamesNoJavaClass() {
        EconomyClient admin = new EconomyClient(port, keys.adminToken("ops"));

        Answer badId = admin.get("/api/v1/players/42/wallet");
        Answer badEnum = admin.get("/api/v1/admin/sagas?status=EXPLODED");

        for (Answer refused : new Answer[] { badId, badEnum }) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).doesNotContain("java.", "dev.bulwark", "Exception", "Failed to convert");
        }
        assertThat(badEnum.json().get("detail").asString()).startsWith("status must be one of ");
    }

    @Test
    void aFirewallRefusalIsProblemJsonNotSpringsDefaultBody() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/api/v1//catalog", "");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).doesNotContain("timestamp", "<html");
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
