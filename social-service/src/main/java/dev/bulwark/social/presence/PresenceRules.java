package dev.bulwark.social.presence;

import java.time.Instant;

/** What a persisted presence row means at an instant; no database. */
final class PresenceRules {

    enum State {
        ONLINE, IN_GAME, AWAY, OFFLINE
    }

    /**
     * A presence row; every instant may be null (never connected, never held by a game server).
     * {@code held}: a game server claimed the player and has not released them; {@code inGameUntil}
     * the expiry of the lease last announced (renewals are not announced).
     */
    record Row(Instant onlineUntil, boolean away, boolean held, Instant inGameUntil, Instant lastSeen) {
    }

    private PresenceRules() {
    }

    /**
     * In game while a game server holds the player and either the announced lease runs or the
     * player's live connection does (player-core announces claims, hand-overs and releases, not
     * renewals: a held player who is connected is in game however often the lease was renewed,
     * and a crashed server's player drops out when its lease ends); otherwise online (or away, as
     * the client said) while the live connection's grace runs; offline after.
     */
    static State state(Row row, Instant now) {
        if (row == null) {
            return State.OFFLINE;
        }
        boolean connected = row.onlineUntil() != null && row.onlineUntil().isAfter(now);
        if (row.held() && (connected || row.inGameUntil() != null && row.inGameUntil().isAfter(now))) {
            return State.IN_GAME;
        }
        if (connected) {
            return row.away() ? State.AWAY : State.ONLINE;
        }
        return State.OFFLINE;
    }

    /** Last seen: now while connected or in game, else the last instant a connection or lease was seen alive. */
    static Instant lastSeen(Row row, Instant now) {
        if (row == null) {
            return null;
        }
        return state(row, now) == State.OFFLINE ? row.lastSeen() : now;
    }
}
