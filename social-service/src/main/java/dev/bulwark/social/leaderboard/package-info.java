/**
 * Leaderboards: boards defined by operators (sort order, score operator, reset schedule), scores
 * written by game servers once per request id, and reads ranked exactly by PostgreSQL: a page, the
 * records around a player, and a board of a player's friends (read from the friend module's
 * {@code friend_relation} table, display names from {@code known_player}). API: the HTTP
 * endpoints and {@link dev.bulwark.social.leaderboard.LeaderboardRefusal} for the web edge.
 */
package dev.bulwark.social.leaderboard;
