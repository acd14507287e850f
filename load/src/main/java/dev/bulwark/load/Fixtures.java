package dev.bulwark.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.MessageType;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;

/**
 * Accounts for the load, made in bulk: one bcrypt hash of the shared password for all of them,
 * the rows written straight into player-core's database together with the {@code PlayerRegistered}
 * event each registration would have put in its outbox (the same envelope, sequence 1), so the
 * economy opens their wallets and social learns of them through the real relay and Kafka.
 * Registering 1,000 players through the API would cost 1,000 bcrypt hashes of the 2-core
 * machine before the first measured request (docs/decisions.md).
 */
final class Fixtures {

    static final String PASSWORD = "correct horse battery";
    /** Players per guild: each group's first buys the guild charter, the others join it. */
    static final int GUILD_SIZE = 20;

    /** A simulated player: its account, its guild, and the friend it pesters. */
    record LoadPlayer(UUID id, String username, UUID guildId, UUID friendId) {
    }

    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();

    private Fixtures() {
    }

    /**
     * The display name's confusable skeleton, by player-core's rule (its {@code account.DisplayNames.skeleton},
     * which lives in a Boot jar no other module can use); the column is unique, so a wrong one is refused, not kept.
     */
    static String skeleton(String name) {
        String upper = CONFUSABLES.getSkeleton(Normalizer2.getNFKCInstance().normalize(name).toUpperCase(Locale.ROOT));
        return CONFUSABLES.getSkeleton(Normalizer2.getNFKCCasefoldInstance().normalize(upper));
    }

    /** Inserts {@code count} accounts named {@code prefix-N} and their registration events; returns their ids. */
    static List<UUID> insertAccounts(StackController stack, String prefix, int count) throws Exception {
        // As player-core stores it: the delegating encoder's {bcrypt} prefix, then the hash.
        String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PASSWORD);
        List<UUID> ids = new ArrayList<>();
        Instant now = Instant.now();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(Service.PLAYER_CORE.database()),
                StackController.DB_USER, StackController.DB_PASSWORD)) {
            db.setAutoCommit(false);
            try (PreparedStatement player = db.prepareStatement("""
                    INSERT INTO player (player_id, username, display_name, display_name_skeleton, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""");
                    PreparedStatement sequence = db.prepareStatement(
                            "INSERT INTO outbox_sequence (aggregate_id, last_sequence) VALUES (?, 1)");
                    PreparedStatement outbox = db.prepareStatement(
                            "INSERT INTO outbox_message (topic, message_key, envelope) VALUES (?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    UUID id = UUID.randomUUID();
                    String username = prefix + "-" + i;
                    player.setObject(1, id);
                    player.setString(2, username);
                    player.setString(3, username);
                    player.setString(4, skeleton(username));
                    player.setString(5, hash);
                    player.setTimestamp(6, Timestamp.from(now));
                    player.addBatch();
                    PlayerRegistered event = new PlayerRegistered(id, username, username, now);
                    Envelope envelope = Contracts.wrap(event, id.toString(), 1, now, Map.of());
                    sequence.setString(1, id.toString());
                    sequence.addBatch();
                    outbox.setString(1, MessageType.of(envelope.type()).topicFor(event).name());
                    outbox.setString(2, id.toString());
                    outbox.setString(3, new String(Contracts.toBytes(envelope), StandardCharsets.UTF_8));
                    outbox.addBatch();
                    ids.add(id);
                    if (i % 500 == 499 || i == count - 1) {
                        player.executeBatch();
                        sequence.executeBatch();
                        outbox.executeBatch();
                        db.commit();
                    }
                }
            }
        }
        return ids;
    }

    /** Waits until every player's wallet is open (the economy consumed its registration). */
    static void awaitWallets(List<UUID> players, String admin, Duration timeout) throws Exception {
        Instant giveUp = Instant.now().plus(timeout);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> waits = new ArrayList<>();
            for (UUID player : players) {
                waits.add(pool.submit(() -> {
                    while (Http.get(Service.GAME_ECONOMY, "/api/v1/players/" + player + "/wallet", admin).statusCode() != 200) {
                        if (Instant.now().isAfter(giveUp)) {
                            throw new IllegalStateException("no wallet for " + player + " after " + timeout);
                        }
                        Thread.sleep(250);
                    }
                    return null;
                }));
            }
            for (Future<?> wait : waits) {
                wait.get();
            }
        }
    }

    /**
     * The load's players: accounts, wallets, and a guild per {@link #GUILD_SIZE} (its first player
     * buys the charter, a saga through social); the feeder file Gatling reads is written to {@code feeder}.
     */
    static List<LoadPlayer> loadPlayers(DrillStack drill, String prefix, int count, Path feeder) throws Exception {
        List<UUID> ids = insertAccounts(drill.stack, prefix, count);
        awaitWallets(ids, drill.admin, Duration.ofMinutes(3));
        List<LoadPlayer> players = new ArrayList<>();
        for (int start = 0; start < ids.size(); start += GUILD_SIZE) {
            UUID leader = ids.get(start);
            UUID guild = foundGuild(leader, prefix + "-" + start, prefix + " guild " + start);
            int end = Math.min(start + GUILD_SIZE, ids.size());
            for (int i = start; i < end; i++) {
                UUID friend = ids.get(i + 1 < end ? i + 1 : start);
                players.add(new LoadPlayer(ids.get(i), prefix + "-" + i, guild, friend));
            }
        }
        StringBuilder csv = new StringBuilder("playerId,username,guildId,friendId\n");
        for (LoadPlayer player : players) {
            csv.append(player.id()).append(',').append(player.username()).append(',').append(player.guildId())
                    .append(',').append(player.friendId()).append('\n');
        }
        Files.createDirectories(feeder.getParent());
        Files.writeString(feeder, csv);
        return players;
    }

    private static UUID foundGuild(UUID leader, String username, String name) throws Exception {
        String token = Http.login(username, PASSWORD);
        Http.ok("guild charter", Http.post(Service.GAME_ECONOMY, "/api/v1/players/" + leader + "/purchases", token,
                "{\"offerId\":\"guild-charter\",\"quantity\":1,\"params\":{\"guildName\":\"" + name + "\"}}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString())));
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(giveUp)) {
            var guild = Http.get(Service.SOCIAL, "/api/v1/players/" + leader + "/guild", token);
            if (guild.statusCode() == 200) {
                return UUID.fromString(Http.json(guild).get("guildId").asString());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the guild of " + username + " was not founded");
    }

}
