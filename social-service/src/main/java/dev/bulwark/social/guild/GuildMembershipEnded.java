package dev.bulwark.social.guild;

import java.util.UUID;

/**
 * Published in-process, inside the transaction that removed a member (left, kicked, or the
 * guild dissolved), so that other features can react before the commit (the chat closes the
 * player's live streams).
 */
public record GuildMembershipEnded(UUID guildId, UUID playerId) {
}
