package dev.bulwark.social.guild;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Topics;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.platform.saga.SagaParticipant;
import dev.bulwark.platform.saga.SagaParticipant.Decision;
import dev.bulwark.platform.shard.CrossShardWork.Part;
import dev.bulwark.social.guild.Guilds.Role;
import dev.bulwark.social.shard.SocialShards;

/**
 * Social's part in the economy's {@code guild-charter} saga: {@link CreateGuild} and its Cancel
 * on {@code social.commands}, each (sagaId, step) decided once, replies with
 * {@code result.guildId} through the outbox to {@code economy.saga-replies}.
 *
 * <p>The saga's record and reply are on the primary shard; the guild on its own shard (by the
 * guild key of an id derived from the saga, so a redelivered command finds the guild it made),
 * the leader's index on the leader's shard and the name's claim on the primary, all written in
 * one transaction (two-phase commit when they span shards). Should that commit and the saga
 * record not (a crash between), the redelivered command finds the guild and succeeds again.
 */
@Component
class GuildCharter {

    private final SagaParticipant participant;
    private final Guilds guilds;
    private final GuildStore store;
    private final GuildEvents events;
    private final GuildProperties properties;
    private final SocialShards shards;
    private final Clock clock;

    GuildCharter(SagaParticipant participant, Guilds guilds, GuildStore store, GuildEvents events,
            GuildProperties properties, SocialShards shards, Clock clock) {
        this.participant = participant;
        this.guilds = guilds;
        this.store = store;
        this.events = events;
        this.properties = properties;
        this.shards = shards;
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
     * name or a leader taken by a concurrent charter trips a key instead, everything rolls back
     * and the redelivered command then finds the name (or the leader) taken.
     */
    private Decision create(CreateGuild command) {
        UUID guildId = UUID.nameUUIDFromBytes(("guild-charter:" + command.sagaId()).getBytes(StandardCharsets.UTF_8));
        if (shards.forGuild(guildId).guarded(() -> store.exists(guildId))) {
            return Decision.succeeded(Map.of("guildId", guildId.toString()));
        }
        String name = command.guildName() == null ? "" : command.guildName().strip();
        if (!GuildRules.isValidName(name)) {
            return Decision.failed("invalid-name");
        }
        Optional<UUID> claimed = store.idByName(name);
        UUID stale = null;
        if (claimed.isPresent()) {
            if (shards.forGuild(claimed.get()).guarded(() -> store.exists(claimed.get()))) {
                return Decision.failed("name-taken");
            }
            stale = claimed.get();
        }
        UUID leader = command.leaderId();
        if (shards.forPlayer(leader).guarded(() -> store.indexedGuild(leader)).isPresent()) {
            return Decision.failed("leader-in-a-guild");
        }
        Instant now = clock.instant();
        UUID staleClaim = stale;
        shards.atomically(List.of(
                new Part(shards.primary(), () -> store.claimName(name, guildId, staleClaim)),
                new Part(shards.forGuild(guildId), () -> {
                    store.insertGuild(guildId, name, leader, properties.defaultMaxMembers(), command.sagaId(), now);
                    events.created(guildId, name, leader, command.sagaId(), now);
                    guilds.admit(guildId, leader, Role.LEADER);
                }),
                new Part(shards.forPlayer(leader), () -> store.claimPlayer(leader, guildId))));
        return Decision.succeeded(Map.of("guildId", guildId.toString()));
    }
}
