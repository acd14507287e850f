package dev.bulwark.social.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.bulwark.social.presence.PresenceRules.Row;
import dev.bulwark.social.presence.PresenceRules.State;

/** What a persisted presence row means, without a database. */
class PresenceRulesTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void aPlayerStaysOnlineForTheGraceAfterTheLastHeartbeatSoARestartDoesNotShowThemOffline() {
        Row lastHeartbeat30sAgo = new Row(NOW.plusSeconds(15), false, false, null, NOW.minusSeconds(30));
        assertThat(PresenceRules.state(lastHeartbeat30sAgo, NOW)).isEqualTo(State.ONLINE);
        assertThat(PresenceRules.lastSeen(lastHeartbeat30sAgo, NOW)).isEqualTo(NOW);
        assertThat(PresenceRules.state(lastHeartbeat30sAgo, NOW.plusSeconds(16))).isEqualTo(State.OFFLINE);
        assertThat(PresenceRules.lastSeen(lastHeartbeat30sAgo, NOW.plusSeconds(16))).isEqualTo(NOW.minusSeconds(30));
    }

    @Test
    void aHeldPlayerIsInGameWhileConnectedOrWhileTheAnnouncedLeaseRuns() {
        Instant leaseEnded = NOW.minusSeconds(5);
        assertThat(PresenceRules.state(new Row(NOW.plusSeconds(30), true, true, leaseEnded, NOW), NOW))
                .as("connected: renewed leases are not announced").isEqualTo(State.IN_GAME);
        assertThat(PresenceRules.state(new Row(null, false, true, NOW.plusSeconds(30), NOW), NOW)).isEqualTo(State.IN_GAME);
        assertThat(PresenceRules.state(new Row(null, false, true, leaseEnded, NOW), NOW))
                .as("a crashed server's player, not connected").isEqualTo(State.OFFLINE);
        assertThat(PresenceRules.state(new Row(NOW.plusSeconds(30), true, false, null, NOW), NOW)).isEqualTo(State.AWAY);
        assertThat(PresenceRules.state(null, NOW)).isEqualTo(State.OFFLINE);
    }
}
