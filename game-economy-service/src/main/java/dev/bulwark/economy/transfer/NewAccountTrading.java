package dev.bulwark.economy.transfer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.platform.messaging.Inbox;

/**
 * Every account starts with tradable GOLD, so a farm of fresh accounts could funnel theirs into
 * one. A player may therefore send GOLD or items only once the account is old enough and has
 * reached a level ({@link TradingProperties}); receiving is never restricted. Age and level come
 * from the events the economy already receives on {@code player.events} (its own consumer group,
 * applied once and monotonically: the first registration time, the highest level), so a
 * transfer needs no call to player-core. Operators moving funds are not restricted.
 */
@Component
class NewAccountTrading {

    static final String CONSUMER = "economy.trader-standing";

    private final Shards shards;
    private final TradingProperties properties;
    private final Clock clock;

    NewAccountTrading(Shards shards, TradingProperties properties, Clock clock) {
        this.shards = shards;
        this.properties = properties;
        this.clock = clock;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_EVENTS, groupId = "${spring.application.name}.trader-standing")
    void on(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Contracts.fromBytes(record.value());
        Shard shard = shards.forAggregate(envelope.aggregateId());
        shard.inTransaction(() -> shard.inbox().accept(CONSUMER, envelope, Inbox.Ordering.ONCE, this::apply));
    }

    private void apply(Envelope envelope) {
        switch (Contracts.payload(envelope)) {
            case PlayerRegistered registered -> record(registered.playerId(), registered.registeredAt(), 1);
            case PlayerLeveledUp leveled -> record(leveled.playerId(), envelope.occurredAt(), leveled.level());
            default -> {
            }
        }
    }

    /** A level-up seen before the registration still counts; the registration time then corrects the age. */
    private void record(UUID playerId, Instant registeredAt, int level) {
        shards.forPlayer(playerId).sql("""
                INSERT INTO trader_standing (player_id, registered_at, level) VALUES (:player, :registeredAt, :level)
                ON CONFLICT (player_id) DO UPDATE SET
                  registered_at = LEAST(trader_standing.registered_at, EXCLUDED.registered_at),
                  level = GREATEST(trader_standing.level, EXCLUDED.level)""")
                .param("player", playerId).param("registeredAt", Timestamp.from(registeredAt)).param("level", level)
                .update();
    }

    /** 422 {@code new-account-restricted} while the sender's account is too new or too low. */
    void checkMaySend(UUID sender) {
        if (!properties.restricts()) {
            return;
        }
        Optional<Standing> standing = shards.forPlayer(sender)
                .sql("SELECT registered_at, level FROM trader_standing WHERE player_id = :player")
                .param("player", sender)
                .query((rs, n) -> new Standing(rs.getTimestamp(1).toInstant(), rs.getInt(2))).optional();
        Instant now = clock.instant();
        boolean oldEnough = standing.map(s -> !s.registeredAt().plus(properties.minAccountAge()).isAfter(now))
                .orElse(false);
        boolean highEnough = standing.map(s -> s.level() >= properties.minLevel()).orElse(false);
        if (!oldEnough || !highEnough) {
            throw new TransferRefusal(TransferRefusal.Reason.NEW_ACCOUNT_RESTRICTED,
                    "New accounts cannot send GOLD or items yet: trading opens " + hours(properties.minAccountAge())
                            + " after registration and at level " + properties.minLevel()
                            + standing.map(s -> " (this account: level " + s.level() + ", "
                                    + hours(Duration.between(s.registeredAt(), now)) + " old)").orElse(""));
        }
    }

    private static String hours(Duration duration) {
        return duration.toHours() + " h";
    }

    private record Standing(Instant registeredAt, int level) {
    }
}
