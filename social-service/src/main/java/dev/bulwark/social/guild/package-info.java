/**
 * Guilds: membership, roles, the member cap and the {@code guild-charter} saga step that creates
 * a guild. API: {@link dev.bulwark.social.guild.Guilds} (membership reads for the chat),
 * {@link dev.bulwark.social.guild.GuildMembershipEnded} (published in-process when a member goes)
 * and {@link dev.bulwark.social.guild.GuildRefusal}.
 */
package dev.bulwark.social.guild;
