package dev.bulwark.platform.messaging;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Forgets the inbox's {@code processed_message} rows once no redelivery can arrive any more: a
 * row only has to outlive the topic's retention (7 days by default) plus the time a consumer may
 * lag or be rewound, so the default keeps 14 days. Deletes run in batches of
 * {@value #BATCH} as separate statements with {@code FOR UPDATE SKIP LOCKED}, on every replica
 * without a job lock: replicas running at once split the work, and no run holds many locks.
 */
public class MessageHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(MessageHousekeeping.class);
    static final int BATCH = 1_000;

    /**
     * @param retention how long a processed message's id is kept (must exceed the topics'
     *                  retention and the longest consumer rewind)
     * @param interval  how often expired ids are deleted
     */
    @ConfigurationProperties("bulwark.inbox.housekeeping")
    public record Properties(@DefaultValue("14d") Duration retention, @DefaultValue("1h") Duration interval) {
    }

    private final JdbcClient jdbc;
    private final Properties properties;
    private final Clock clock;

    public MessageHousekeeping(JdbcClient jdbc, Properties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Deletes processed-message ids older than the retention; how many. */
    @Scheduled(fixedDelayString = "${bulwark.inbox.housekeeping.interval:1h}",
            initialDelayString = "${bulwark.inbox.housekeeping.interval:1h}")
    public int purge() {
        Timestamp before = Timestamp.from(clock.instant().minus(properties.retention()));
        int deleted = 0;
        int batch;
        do {
            batch = jdbc.sql("""
                    DELETE FROM processed_message WHERE (consumer, event_id) IN (
                      SELECT consumer, event_id FROM processed_message WHERE processed_at < :before
                      LIMIT :batch FOR UPDATE SKIP LOCKED)""")
                    .param("before", before).param("batch", BATCH).update();
            deleted += batch;
        } while (batch == BATCH);
        if (deleted > 0) {
            log.info("Forgot {} processed message ids older than {}", deleted, properties.retention());
        }
        return deleted;
    }

    @AutoConfiguration
    @EnableConfigurationProperties(Properties.class)
    public static class Configuration {

        @Bean
        MessageHousekeeping messageHousekeeping(JdbcClient jdbc, Properties properties, Clock clock) {
            return new MessageHousekeeping(jdbc, properties, clock);
        }
    }
}
