package dev.bulwark.social.guild;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.saga.SagaParticipant.Decision;
import dev.bulwark.social.guild.Guilds.Role;

/**
 * Social's part in the economy's {@code guild-charter} saga: {@link CreateGuild} and its Cancel
 * on {@code social.commands}, each (sagaId, step) decided once, replies with
 * {@code result.guildId} through the outbox to {@code economy.saga-replies}.
 */
@Component
class GuildCharter {

    private final SagaParticipant participant;
    private final Guilds guilds;
    private final GuildStore store;
    private final GuildEvents events;
    private final GuildProperties properties;
    private final Clock clock;

    GuildCharter(SagaParticipant participant, Guilds guilds, GuildStore store, GuildEvents events,
            GuildProperties properties, Clock clock) {
        this.participant = participant;
        this.guilds = guilds;
        this.store = store;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @KafkaListener(topics = Topics.Names.SOCIAL_COMMANDS)
    void on(ConsumerRecord<String, byte[]> record) {
        participant.receive(Contracts.fromBytes(record.value()), command -> command instanceof CreateGuild create
                ? create(create)
                : Decision.failed("unsupported-command"));
    }

    /**
     * The charter's effect, inside the participant's transaction. It refuses before writing; a
     * name taken by a concurrent charter trips the unique index instead, the transaction rolls
     * back and the redelivered command then finds the name taken.
     */
    private Decision create(CreateGuild command) {
        String name = command.guildName() == null ? "" : command.guildName().strip();
        if (!GuildRules.isValidName(name)) {
            return Decision.failed("invalid-name");
        }
        if (store.nameTaken(name)) {
            return Decision.failed("name-taken");
        }
        if (store.guildOf(command.leaderId()).isPresent()) {
            return Decision.failed("leader-in-a-guild");
        }
        UUID guildId = UUID.randomUUID();
        Instant now = clock.instant();
        store.insertGuild(guildId, name, command.leaderId(), properties.defaultMaxMembers(), command.sagaId(), now);
        events.created(guildId, name, command.leaderId(), command.sagaId(), now);
        guilds.admit(guildId, command.leaderId(), Role.LEADER);
        return Decision.succeeded(Map.of("guildId", guildId.toString()));
    }
}
