package dev.bulwark.platform.twophase;

import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How many of a coordinator's transactions each participant holds prepared, and how old the
 * oldest is. A prepared transaction keeps its row locks and holds back vacuum until it is
 * finished; one that recovery has not finished well past its grace period means recovery is not
 * running or cannot reach a database. Each scrape reads {@code pg_prepared_xacts}; a participant
 * that cannot be read reports NaN.
 */
public final class PreparedTransactionMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(PreparedTransactionMetrics.class);

    private final String coordinator;
    private final Map<String, DataSource> participants;

    PreparedTransactionMetrics(String coordinator, Map<String, DataSource> participants) {
        this.coordinator = coordinator;
        this.participants = participants;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        participants.forEach((name, dataSource) -> {
            JdbcClient jdbc = JdbcClient.create(dataSource);
            String filter = "FROM pg_prepared_xacts WHERE database = current_database() AND starts_with(gid, :prefix)";
            String prefix = GlobalTransactionId.prefix(coordinator);
            Gauge.builder("bulwark.twophase.prepared", () -> read(name, () -> jdbc.sql("SELECT count(*)::float8 " + filter)
                            .param("prefix", prefix).query(Double.class).single()))
                    .description("Two-phase transactions this participant holds prepared (in doubt until committed or rolled back)")
                    .tag("coordinator", coordinator).tag("participant", name)
                    .register(registry);
            Gauge.builder("bulwark.twophase.prepared.oldest.age", () -> read(name, () -> jdbc.sql(
                                    "SELECT coalesce(extract(epoch FROM now() - min(prepared)), 0)::float8 " + filter)
                            .param("prefix", prefix).query(Double.class).single()))
                    .description("Age of the oldest two-phase transaction this participant holds prepared")
                    .baseUnit("seconds")
                    .tag("coordinator", coordinator).tag("participant", name)
                    .register(registry);
        });
    }

    private static double read(String participant, Supplier<Double> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            log.debug("Prepared transactions of {} not readable: {}", participant, e.toString());
            return Double.NaN;
        }
    }
}
