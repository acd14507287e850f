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

/**
 * Everything a guild tells others, in the caller's transaction: its stream on
 * {@code social.events} (keyed by guild id, through the outbox, so projections such as the
 * player query's follow) and, in-process, {@link GuildMembershipEnded}.
 */
@Component
class GuildEvents {

    private final Outbox outbox;
    private final ApplicationEventPublisher inProcess;
    private final Clock clock;

    GuildEvents(Outbox outbox, ApplicationEventPublisher inProcess, Clock clock) {
        this.outbox = outbox;
        this.inProcess = inProcess;
        this.clock = clock;
    }

    void created(UUID guildId, String name, UUID leaderId, UUID sagaId, Instant at) {
        outbox.publish(new GuildCreated(guildId, name, leaderId, sagaId, at), guildId.toString());
    }

    void joined(UUID guildId, UUID player, Guilds.Role role) {
        outbox.publish(new GuildMemberJoined(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    void roleChanged(UUID guildId, UUID player, Guilds.Role role) {
        outbox.publish(new GuildRoleChanged(guildId, player, role.name(), clock.instant()), guildId.toString());
    }

    /** @param reason {@code LEFT} or {@code KICKED} */
    void left(UUID guildId, UUID player, String reason, UUID newLeader, boolean dissolved) {
        outbox.publish(new GuildMemberLeft(guildId, player, reason, newLeader, dissolved, clock.instant()),
                guildId.toString());
        inProcess.publishEvent(new GuildMembershipEnded(guildId, player));
    }
}
