package dev.bulwark.player.saga;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.events.player.PlayerRenamed;
import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.saga.SagaParticipant.Decision;
import dev.bulwark.player.account.DisplayNames;
import dev.bulwark.player.profile.XpBoosts;

/**
 * Player-core's part in the economy's sagas: {@code xp-boost} (an active XP boost that the
 * experience endpoint applies) and {@code name-change} (a new display name, unique whatever its
 * case). {@link SagaParticipant} decides each (sagaId, step) once and answers Cancel; the effects
 * here refuse with a reason before writing anything.
 */
@Component
class PlayerCommands {

    static final int MAX_BONUS_PERCENT = 500;
    static final long MAX_BOOST_SECONDS = 30L * 24 * 3600;

    private final SagaParticipant participant;
    private final XpBoosts boosts;
    private final JdbcClient jdbc;
    private final Outbox outbox;

    PlayerCommands(SagaParticipant participant, XpBoosts boosts, JdbcClient jdbc, Outbox outbox) {
        this.participant = participant;
        this.boosts = boosts;
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @KafkaListener(topics = Topics.Names.PLAYER_COMMANDS, groupId = "player-core.saga")
    void on(ConsumerRecord<String, byte[]> record) {
        participant.receive(Contracts.fromBytes(record.value()), this::decide);
    }

    private Decision decide(SagaCommand command) {
        return switch (command) {
            case GrantXpBoost boost -> grant(boost);
            case ChangeDisplayName rename -> rename(rename);
            default -> Decision.failed("unsupported-command");
        };
    }

    private Decision grant(GrantXpBoost command) {
        if (command.bonusPercent() < 1 || command.bonusPercent() > MAX_BONUS_PERCENT || command.durationSeconds() < 1
                || command.durationSeconds() > MAX_BOOST_SECONDS) {
            return Decision.failed("invalid-boost");
        }
        if (displayName(command.playerId()) == null) {
            return Decision.failed("unknown-player");
        }
        Instant expiresAt = boosts.grant(command.sagaId(), command.step(), command.playerId(), command.bonusPercent(),
                command.durationSeconds());
        return Decision.succeeded(Map.of("bonusPercent", String.valueOf(command.bonusPercent()),
                "expiresAt", expiresAt.toString()));
    }

    /** A unique-index race with a concurrent rename throws, rolls back and is redelivered: it then fails as taken. */
    private Decision rename(ChangeDisplayName command) {
        if (!DisplayNames.isValid(command.displayName())) {
            return Decision.failed("invalid-name");
        }
        String previous = displayName(command.playerId());
        if (previous == null) {
            return Decision.failed("unknown-player");
        }
        String name = DisplayNames.normalize(command.displayName());
        String skeleton = DisplayNames.skeleton(name);
        boolean taken = jdbc.sql("""
                SELECT count(*) FROM player
                WHERE (lower(display_name) = lower(:name) OR display_name_skeleton = :skeleton) AND player_id <> :id""")
                .param("name", name).param("skeleton", skeleton).param("id", command.playerId())
                .query(Integer.class).single() > 0;
        if (taken) {
            return Decision.failed("name-taken");
        }
        jdbc.sql("""
                UPDATE player SET display_name = :name, display_name_skeleton = :skeleton, version = version + 1
                WHERE player_id = :id""")
                .param("name", name).param("skeleton", skeleton).param("id", command.playerId()).update();
        outbox.publish(new PlayerRenamed(command.playerId(), previous, name), command.playerId().toString());
        return Decision.succeeded(Map.of("displayName", name));
    }

    private String displayName(UUID playerId) {
        return jdbc.sql("SELECT display_name FROM player WHERE player_id = :id").param("id", playerId)
                .query(String.class).optional().orElse(null);
    }
}
