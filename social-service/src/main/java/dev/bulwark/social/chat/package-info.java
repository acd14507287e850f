/**
 * Guild chat: posting, history and live streams (Server-Sent Events) fed by PostgreSQL
 * {@code LISTEN/NOTIFY}, so a message posted on any instance reaches streams on every instance.
 * API: the HTTP endpoints and {@link dev.bulwark.social.chat.ChatRefusal}.
 */
package dev.bulwark.social.chat;
