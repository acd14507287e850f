/**
 * Operators' moderation of guilds and their chat, for the console: guild search, a guild's chat
 * as an operator reads it, removing a message, muting a member in a guild's chat, and the
 * moderation audit log that names the operator of every action. It reads the guild and chat
 * tables directly and touches no other module's code; a mute is enforced by an interceptor in
 * front of the chat's post endpoint.
 */
package dev.bulwark.social.moderation;
