package dev.bulwark.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bulwark.stack.Service;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The player load, in an open model: players arrive over the ramp (they do not wait for each
 * other), each logs in, joins its guild and keeps the guild chat stream open, then follows the
 * fixed capacity mix until the hold ends: the player screen (GraphQL) every 10 s, a chat message
 * every 30 s, a purchase or a transfer (alternately) every 60 s, a friend action every 120 s.
 * Game servers claim authority over 10% of the players and grant them loot every 30 s. Every
 * simulated player counts as one in {@code players per instance}.
 *
 * <p>Configured by system properties (Gatling instantiates the class): {@code load.feeder} (the
 * CSV of {@link Fixtures#loadPlayers}), {@code load.players}, {@code load.rampSeconds},
 * {@code load.holdSeconds} (the most it lasts; {@link #HOLDING} ends it sooner), {@code load.gameServerToken}.
 */
public class PlayerLoadSimulation extends Simulation {

    static final String PLAYER_SCREEN = "{ me { displayName level stats { hp } wallet { balances { GOLD GEM } held { GOLD GEM } }"
            + " inventory { itemId quantity } guild { name role } friends { playerId state } } }";
    private static final String CORE = Service.PLAYER_CORE.baseUrl().toString();
    private static final String ECONOMY = Service.GAME_ECONOMY.baseUrl().toString();
    private static final String SOCIAL = Service.SOCIAL.baseUrl().toString();
    /** Cleared to end the hold early: the drills run in this JVM and end the load when they are done. */
    static final AtomicBoolean HOLDING = new AtomicBoolean(true);

    public PlayerLoadSimulation() {
        List<Map<String, Object>> records = read(Path.of(System.getProperty("load.feeder")));
        int players = Integer.getInteger("load.players", records.size());
        Duration ramp = Duration.ofSeconds(Integer.getInteger("load.rampSeconds", 30));
        Duration hold = Duration.ofSeconds(Integer.getInteger("load.holdSeconds", 120));
        String gameServer = System.getProperty("load.gameServerToken");
        HttpProtocolBuilder protocol = http.contentTypeHeader("application/json").acceptHeader("application/json")
                .warmUp(CORE + "/livez");

        ScenarioBuilder player = scenario("player")
                .feed(listFeeder(records).circular())
                .exec(http("login").post(CORE + "/api/v1/auth/login")
                        .body(StringBody("{\"username\":\"#{username}\",\"password\":\"" + Fixtures.PASSWORD + "\"}"))
                        .check(jsonPath("$.accessToken").saveAs("token")))
                .exec(http("join guild").post(SOCIAL + "/api/v1/guilds/#{guildId}/members")
                        .header("Authorization", "Bearer #{token}").body(StringBody("{\"playerId\":\"#{playerId}\"}"))
                        // The guild's founder is in it already; a second join is refused, not failed.
                        .check(status().in(200, 201, 409)))
                .exec(sse("guild chat").get(SOCIAL + "/api/v1/guilds/#{guildId}/messages/stream")
                        .header("Authorization", "Bearer #{token}").header("Accept", "text/event-stream"))
                .exec(asLongAs(session -> HOLDING.get(), "tick").on(pace(Duration.ofSeconds(10)).exec(playerTick())))
                .exec(sse("guild chat").close());

        ScenarioBuilder gameServers = scenario("game server")
                .feed(listFeeder(records).circular())
                .exec(http("claim authority").post(CORE + "/api/v1/players/#{playerId}/authority")
                        .header("Authorization", "Bearer " + gameServer)
                        .check(jsonPath("$.lease").saveAs("lease")))
                .exec(asLongAs(session -> HOLDING.get(), "loot").on(pace(Duration.ofSeconds(30)).exec(
                        http("grant loot").post(ECONOMY + "/api/v1/players/#{playerId}/grants")
                                .header("Authorization", "Bearer " + gameServer)
                                .header("Authority-Lease", "#{lease}")
                                .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                                .body(StringBody("{\"currency\":{\"GOLD\":5},\"items\":[],\"reason\":\"load\"}")))));

        setUp(player.injectOpen(rampUsers(players).during(ramp)),
                gameServers.injectOpen(rampUsers(Math.max(1, players / 10)).during(ramp)))
                .protocols(protocol)
                .maxDuration(ramp.plus(hold));
    }

    /** One 10-second step of a player: the screen always, the rest on their multiples. */
    private static ChainBuilder playerTick() {
        return exec(http("player screen").post(CORE + "/graphql").header("Authorization", "Bearer #{token}")
                .body(StringBody("{\"query\":\"" + PLAYER_SCREEN + "\"}"))
                .check(jsonPath("$.data.me.displayName").exists()))
                .exec(doIf(session -> session.getInt("tick") % 3 == 2).then(
                        exec(http("chat").post(SOCIAL + "/api/v1/guilds/#{guildId}/messages")
                                .header("Authorization", "Bearer #{token}")
                                .body(StringBody("{\"text\":\"gg #{tick}\"}")))))
                .exec(doIf(session -> session.getInt("tick") % 6 == 5).then(
                        doIfOrElse(session -> session.getInt("tick") % 12 == 5).then(
                                exec(http("purchase").post(ECONOMY + "/api/v1/players/#{playerId}/purchases")
                                        .header("Authorization", "Bearer #{token}")
                                        .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                                        .body(StringBody("{\"offerId\":\"potion-pack\",\"quantity\":1}"))
                                        // Spent out or at the stack limit is a refusal the game shows, not an error.
                                        .check(status().in(201, 409))))
                                .orElse(exec(http("transfer").post(ECONOMY + "/api/v1/transfers")
                                        .header("Authorization", "Bearer #{token}")
                                        .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                                        .body(StringBody("{\"fromPlayerId\":\"#{playerId}\",\"toPlayerId\":\"#{friendId}\","
                                                + "\"currency\":{\"GOLD\":1},\"items\":[]}"))
                                        .check(status().in(201, 409))))))
                .exec(doIf(session -> session.getInt("tick") % 12 == 11).then(
                        exec(http("friend action").post(SOCIAL + "/api/v1/players/#{playerId}/friends")
                                .header("Authorization", "Bearer #{token}")
                                .body(StringBody("{\"friendId\":\"#{friendId}\"}"))
                                .check(status().in(200, 201, 409)))));
    }

    private static List<Map<String, Object>> read(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            String[] header = lines.getFirst().split(",");
            List<Map<String, Object>> records = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] values = line.split(",");
                Map<String, Object> record = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    record.put(header[i], values[i]);
                }
                records.add(record);
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
