package dev.bulwark.platform.observability;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What the messaging tables hold that has not reached its destination yet: messages the
 * outbox relay has not had acknowledged by Kafka (and how old the oldest is), and messages the inbox parked while
 * waiting for a predecessor. Each scrape reads the current count; while the database is
 * unreachable the gauges report NaN instead of failing the scrape.
 */
class MessagingBacklogMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(MessagingBacklogMetrics.class);

    private final JdbcClient jdbc;

    MessagingBacklogMetrics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("bulwark.outbox.backlog", () -> read(() -> count(
                        "SELECT count(*) FROM outbox_message")))
                .description("Outbox messages not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("bulwark.outbox.oldest.age", () -> read(() -> jdbc.sql("""
                        SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
                        FROM outbox_message""").query(Double.class).single()))
                .description("Age of the oldest outbox message not yet acknowledged by Kafka")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("bulwark.inbox.parked", () -> read(() -> count("SELECT count(*) FROM parked_message")))
                .description("Messages held by in-sequence consumers until their predecessors arrive")
                .register(registry);
    }

    private double count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private static double read(Supplier<Double> query) {
        try {
            return query.get();
        }
        catch (RuntimeException e) {
            log.debug("Messaging backlog not readable: {}", e.toString());
            return Double.NaN;
        }
    }
}
