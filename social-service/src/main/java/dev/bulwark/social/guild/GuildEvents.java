package dev.bulwark.social.guild;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.social.shard.SocialShards;

/**
 * Everything a guild tells others: its stream on {@code social.events} (keyed by guild id, through
 * the outbox of the guild's shard, in the transaction bound there, so projections such as the
 * player query's follow) and, in-process after the change committed, {@link GuildMembershipEnded}.
 */
@Component
class GuildEvents {

    private final SocialShards shards;
    private final ApplicationEventPublisher inProcess;
    private final Clock clock;

    GuildEvents(SocialShards shards, ApplicationEventPublisher inProcess, Clock clock) {
        this.shards = shards;
        this.inProcess = inProcess;
        this.clock = clock;
    }

    private Outbox outbox(UUID guildId) {
        return shards.forGuild(guildId).outbox();
    }

    void created(UUID guildId, String name, UUID leaderId, UUID sagaId, Instant at) {
        outbox(guildId).publish(new GuildCreated(guildId, name, leaderId, sagaId, at), guildId.toString());
    }

    void joined(UUID guildId, UUID player, Guilds.Role role) {
        outbox(guildId).publish(new GuildMemberJoined(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    void roleChanged(UUID guildId, UUID player, Guilds.Role role) {
        outbox(guildId).publish(new GuildRoleChanged(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    /** @param reason {@code LEFT} or {@code KICKED} */
    void left(UUID guildId, UUID player, String reason, UUID newLeader, boolean dissolved) {
        outbox(guildId).publish(new GuildMemberLeft(guildId, player, reason, newLeader, dissolved, clock.instant()),
                guildId.toString());
    }

    /**
     * After the removal committed (a two-phase commit's participant cannot NOTIFY, which is how
     * chat tells every instance to close the player's streams).
     */
    void membershipEnded(UUID guildId, UUID player) {
        inProcess.publishEvent(new GuildMembershipEnded(guildId, player));
    }
}
