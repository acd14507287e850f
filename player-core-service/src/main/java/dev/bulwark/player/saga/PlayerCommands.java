package dev.bulwark.player.saga;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaCommand;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.saga.SagaParticipant.Decision;
import dev.bulwark.player.account.DisplayNameChanges;
import dev.bulwark.player.profile.Players;
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
    private final Players players;
    private final DisplayNameChanges names;

    PlayerCommands(SagaParticipant participant, XpBoosts boosts, Players players, DisplayNameChanges names) {
        this.participant = participant;
        this.boosts = boosts;
        this.players = players;
        this.names = names;
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
        if (!players.exists(command.playerId())) {
            return Decision.failed("unknown-player");
        }
        Instant expiresAt = boosts.grant(command.sagaId(), command.step(), command.playerId(), command.bonusPercent(),
                command.durationSeconds());
        return Decision.succeeded(Map.of("bonusPercent", String.valueOf(command.bonusPercent()),
                "expiresAt", expiresAt.toString()));
    }

    private Decision rename(ChangeDisplayName command) {
        return switch (names.rename(command.playerId(), command.displayName())) {
            case DisplayNameChanges.Outcome.Renamed renamed -> Decision.succeeded(Map.of("displayName", renamed.displayName()));
            case DisplayNameChanges.Outcome.Refused refused -> Decision.failed(refused.reason());
        };
    }
}
