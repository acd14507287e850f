package dev.bulwark.economy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.testsupport.IntegrationTest;

/** Keys are remembered for the retention (at least the contract's 7 days), then forgotten. */
@IntegrationTest
class IdempotencyRetentionTests {

    @Autowired
    IdempotentRequests requests;

    @Autowired
    JdbcClient jdbc;

    @Test
    void keysYoungerThanTheRetentionSurviveTheCleanupAndOlderOnesGo() {
        UUID player = UUID.randomUUID();
        String sixDays = record(player, Duration.ofDays(6).plusHours(23));
        String sevenDays = record(player, Duration.ofDays(7).plusHours(23));
        String nineDays = record(player, Duration.ofDays(9));

        requests.forgetExpired();

        assertThat(jdbc.sql("SELECT idempotency_key FROM idempotency_record WHERE player_id = :p").param("p", player)
                .query(String.class).list()).containsExactlyInAnyOrder(sixDays, sevenDays).doesNotContain(nineDays);
    }

    @Test
    void aRetentionUnderSevenDaysIsRefused() {
        assertThatThrownBy(() -> new IdempotencyProperties(Duration.ofDays(6), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String record(UUID player, Duration age) {
        String key = UUID.randomUUID().toString();
        jdbc.sql("""
                INSERT INTO idempotency_record (caller, route, idempotency_key, player_id, request_hash, response_status,
                                                response_body, created_at)
                VALUES (:caller, 'POST /test', :key, :player, 'h', 201, '{}', :at)""")
                .param("caller", player.toString()).param("key", key).param("player", player)
                .param("at", Timestamp.from(Instant.now().minus(age))).update();
        return key;
    }
}
