package dev.bulwark.social.guild;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.saga.SagaParticipant.Decision;

/**
 * Social's part in the economy's {@code guild-charter} saga: {@link CreateGuild} and its Cancel
 * on {@code social.commands}, each (sagaId, step) decided once, replies with
 * {@code result.guildId} through the outbox to {@code economy.saga-replies}.
 */
@Component
class GuildCharter {

    private final SagaParticipant participant;
    private final Guilds guilds;

    GuildCharter(SagaParticipant participant, Guilds guilds) {
        this.participant = participant;
        this.guilds = guilds;
    }

    @KafkaListener(topics = "social.commands")
    void on(ConsumerRecord<String, byte[]> record) {
        participant.receive(Contracts.fromBytes(record.value()), command -> command instanceof CreateGuild create
                ? guilds.create(create)
                : Decision.failed("unsupported-command"));
    }
}
