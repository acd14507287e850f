package dev.bulwark.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulwark.testsupport.IntegrationTest;

/** The inbox's processed-message ids are forgotten after the retention (14 days), in batches. */
@IntegrationTest
class MessageHousekeepingTests {

    @Autowired
    MessageHousekeeping housekeeping;

    @Autowired
    JdbcClient jdbc;

    @Test
    void idsOlderThanTheRetentionAreDeletedAndRecentOnesKept() {
        String consumer = "housekeeping-" + UUID.randomUUID();
        int old = MessageHousekeeping.BATCH + 5;
        jdbc.sql("""
                INSERT INTO processed_message (consumer, event_id, processed_at)
                SELECT :consumer, gen_random_uuid(), now() - interval '15 days' FROM generate_series(1, :n)""")
                .param("consumer", consumer).param("n", old).update();
        jdbc.sql("""
                INSERT INTO processed_message (consumer, event_id, processed_at)
                SELECT :consumer, gen_random_uuid(), now() - interval '13 days' FROM generate_series(1, 3)""")
                .param("consumer", consumer).update();

        assertThat(housekeeping.purge()).isGreaterThanOrEqualTo(old);

        assertThat(jdbc.sql("SELECT count(*) FROM processed_message WHERE consumer = :consumer")
                .param("consumer", consumer).query(Long.class).single()).as("the recent ones").isEqualTo(3);
    }
}
