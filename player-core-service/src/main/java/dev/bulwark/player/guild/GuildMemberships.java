package dev.bulwark.player.guild;

import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bulwark.events.Contracts;
import dev.bulwark.events.Envelope;
import dev.bulwark.events.Topics;
import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;
import dev.bulwark.platform.messaging.Inbox;

/**
 * Which guild each player is in, projected from the social service's guild events so that the
 * player query needs no call to social for it. A guild's events are applied strictly in sequence
 * (the inbox parks early arrivals), so a member never joins a guild the projection does not know,
 * and a role change never lands before the join it changes.
 */
@Component
public class GuildMemberships {

    static final String CONSUMER = "player-core.guilds";

    /** A player's guild as the projection knows it. */
    public record Membership(UUID guildId, String name, String role) {
    }

    private final Inbox inbox;
    private final JdbcClient jdbc;

    GuildMemberships(Inbox inbox, JdbcClient jdbc) {
        this.inbox = inbox;
        this.jdbc = jdbc;
    }

    public Optional<Membership> of(UUID playerId) {
        return jdbc.sql("""
                SELECT g.guild_id, g.name, m.role FROM guild_membership_projection m
                JOIN guild_projection g ON g.guild_id = m.guild_id WHERE m.player_id = :player""")
                .param("player", playerId)
                .query((rs, n) -> new Membership(rs.getObject("guild_id", UUID.class), rs.getString("name"),
                        rs.getString("role")))
                .optional();
    }

    @KafkaListener(topics = Topics.Names.SOCIAL_EVENTS, groupId = CONSUMER)
    void on(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Contracts.fromBytes(record.value());
        // Friendship events share the topic (keyed by player); they are not this projection's.
        if (envelope.type().startsWith("Guild")) {
            inbox.accept(CONSUMER, envelope, Inbox.Ordering.IN_SEQUENCE, this::apply);
        }
    }

    private void apply(Envelope envelope) {
        switch (Contracts.payload(envelope)) {
            case GuildCreated created -> jdbc.sql("""
                    INSERT INTO guild_projection (guild_id, name) VALUES (:guild, :name)
                    ON CONFLICT (guild_id) DO UPDATE SET name = EXCLUDED.name""")
                    .param("guild", created.guildId()).param("name", created.name()).update();
            case GuildMemberJoined joined -> jdbc.sql("""
                    INSERT INTO guild_membership_projection (player_id, guild_id, role) VALUES (:player, :guild, :role)
                    ON CONFLICT (player_id) DO UPDATE SET guild_id = EXCLUDED.guild_id, role = EXCLUDED.role""")
                    .param("player", joined.playerId()).param("guild", joined.guildId()).param("role", joined.role())
                    .update();
            case GuildMemberLeft left -> leave(left);
            case GuildRoleChanged changed -> jdbc.sql("""
                    UPDATE guild_membership_projection SET role = :role WHERE player_id = :player AND guild_id = :guild""")
                    .param("role", changed.role()).param("player", changed.playerId()).param("guild", changed.guildId())
                    .update();
            default -> {
            }
        }
    }

    private void leave(GuildMemberLeft left) {
        jdbc.sql("DELETE FROM guild_membership_projection WHERE player_id = :player AND guild_id = :guild")
                .param("player", left.playerId()).param("guild", left.guildId()).update();
        if (left.dissolved()) {
            jdbc.sql("DELETE FROM guild_projection WHERE guild_id = :guild").param("guild", left.guildId()).update();
        }
        else if (left.newLeaderId() != null) {
            jdbc.sql("UPDATE guild_membership_projection SET role = 'LEADER' WHERE player_id = :player AND guild_id = :guild")
                    .param("player", left.newLeaderId()).param("guild", left.guildId()).update();
        }
    }
}
