package dev.bulwark.economy.sharding;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.MessageTracing;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.messaging.OutboxProperties;
import dev.bulwark.platform.messaging.OutboxRelay;
import dev.bulwark.platform.web.ApiException;
import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.RingKey;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The economy's shards and the router over them: a consistent-hash ring maps a player's
 * {@link RingKey} to the shard that owns it. The default is one shard, the service's own
 * database; more are configuration ({@link ShardsProperties}). The primary shard keeps Boot's
 * DataSource, transaction manager and relay; every other shard gets a pool, a transaction
 * manager, its migrations, an outbox relay and an inbox of its own.
 *
 * <p>The ring this router uses is the highest version any shard recorded ({@link Ownership}); a
 * write refused by a shard that no longer owns the player makes it {@link #reload} from the
 * shards.
 */
@Component
// It reads and records each shard's ring while it is built: after Boot's Flyway has migrated shard 0.
@DependsOnDatabaseInitialization
public class Shards implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Shards.class);

    private final ShardsProperties properties;
    private final Map<String, Shard> shards = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Shard primary;
    private final List<OutboxRelay> relays = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<HikariDataSource> pools = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Flyway flywayTemplate;
    private final Map<String, Boolean> prepared = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Shard>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final org.springframework.core.env.Environment environment;
    private final CircuitBreakerRegistry breakers;
    private final CircuitBreakerConfig breakerConfig;
    private final ObjectProvider<MeterRegistry> meters;
    private final Clock clock;
    private final MessageTracing tracing;
    private final KafkaTemplate<Object, Object> kafka;
    private final KafkaAdmin kafkaAdmin;
    private final OutboxProperties outboxProperties;
    private volatile HashRing ring;
    private volatile boolean running;

    Shards(ShardsProperties properties, DataSource dataSource, PlatformTransactionManager transactionManager,
            OutboxRelay primaryRelay, Clock clock, MessageTracing tracing, KafkaTemplate<Object, Object> kafka,
            KafkaAdmin kafkaAdmin, OutboxProperties outboxProperties, CircuitBreakerRegistry breakers,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<JavaMigration> javaMigrations,
            @Value("${spring.flyway.locations:classpath:db/migration}") String[] flywayLocations,
            @Value("${spring.flyway.out-of-order:false}") boolean outOfOrder,
            org.springframework.core.env.Environment environment) {
        this.properties = properties;
        this.environment = environment;
        this.breakers = breakers;
        this.meters = meters;
        this.clock = clock;
        this.tracing = tracing;
        this.kafka = kafka;
        this.kafkaAdmin = kafkaAdmin;
        this.outboxProperties = outboxProperties;
        ShardsProperties.Ring ringSettings = properties.ring();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10).minimumNumberOfCalls(3).failureRateThreshold(50)
                .waitDurationInOpenState(ringSettings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(Shard::unreachable)
                .build();
        this.breakerConfig = breakerConfig;
        this.flywayTemplate = Flyway.configure().locations(flywayLocations).outOfOrder(outOfOrder)
                .javaMigrations(javaMigrations.orderedStream().toArray(JavaMigration[]::new)).load();
        Map<String, Double> weights = new LinkedHashMap<>();
        Shard primaryShard = null;
        for (ShardsProperties.ShardSpec spec : properties.shards()) {
            weights.put(spec.id(), spec.weight());
            var breaker = breakers.circuitBreaker("economy-shard-" + spec.id(), breakerConfig);
            Shard shard;
            if (spec.primary()) {
                JdbcClient jdbc = JdbcClient.create(dataSource);
                shard = new Shard(spec.id(), dataSource, transactionManager,
                        new Outbox(jdbc, clock, tracing, primaryRelay::wake), new Inbox(jdbc, tracing), breaker,
                        primaryRelay::wake);
                primaryShard = shard;
            } else {
                shard = build(spec, breaker);
            }
            shards.put(spec.id(), shard);
            prepared.put(spec.id(), false);
        }
        this.primary = primaryShard;
        this.ring = HashRing.of(ringSettings.version(), ringSettings.vnodesPerShard(), weights);
        shards.values().forEach(this::prepare);
        reload();
    }

    /** A shard that is not the service's own database: a pool, a transaction manager, a relay and an inbox of its own. */
    private Shard build(ShardsProperties.ShardSpec spec, io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
        HikariDataSource pool = pool(spec, properties.ring(), meters.getIfAvailable());
        pools.add(pool);
        JdbcClient jdbc = JdbcClient.create(pool);
        OutboxRelay relay = new OutboxRelay(jdbc, kafka, kafkaAdmin, outboxProperties);
        relays.add(relay);
        return new Shard(spec.id(), pool, new JdbcTransactionManager(pool),
                new Outbox(jdbc, clock, tracing, relay::wake), new Inbox(jdbc, tracing), breaker, relay::wake);
    }

    /**
     * Adds a shard while the service runs (a resharding job's new shard): its pool, transaction
     * manager, migrations, relay and inbox, registered on shard 0 so that every replica and every
     * restart finds it. The URL carries no credentials; they come from
     * {@code bulwark.economy.shard-credentials.<id>.username|password}. It owns nothing until a
     * job switches ranges to it. Idempotent for the same id and URL.
     */
    public synchronized Shard add(String id, String jdbcUrl, UUID jobId) {
        Shard existing = shards.get(id);
        if (existing != null) {
            return existing;
        }
        ShardsProperties.ShardSpec spec = runtimeSpec(id, jdbcUrl);
        primary.inTransaction(() -> primary.sql("""
                INSERT INTO reshard_shard (shard_id, jdbc_url, added_by) VALUES (:id, :url, :job)
                ON CONFLICT (shard_id) DO NOTHING""").param("id", id).param("url", jdbcUrl).param("job", jobId).update());
        return register(spec);
    }

    private Shard register(ShardsProperties.ShardSpec spec) {
        Shard shard = build(spec, breakers.circuitBreaker("economy-shard-" + spec.id(), breakerConfig));
        prepared.put(spec.id(), false);
        // Migrated before anything can reach it through all() (the scans of every shard).
        if (!prepare(shard)) {
            log.warn("Economy shard {} added but not reachable yet", spec.id());
        }
        shards.put(spec.id(), shard);
        if (running) {
            relays.get(relays.size() - 1).start();
        }
        log.info("Economy shard {} registered at runtime", spec.id());
        listeners.forEach(listener -> listener.accept(shard));
        return shard;
    }

    /** The shards other replicas (or this one before a restart) added, from shard 0's registry. */
    private void registerAdded() {
        try {
            List<String[]> added = primary.jdbc().sql("SELECT shard_id, jdbc_url FROM reshard_shard ORDER BY added_at")
                    .query((rs, n) -> new String[] { rs.getString(1), rs.getString(2) }).list();
            for (String[] row : added) {
                if (!shards.containsKey(row[0])) {
                    register(runtimeSpec(row[0], row[1]));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Shards added at runtime not readable from shard 0: {}", e.toString());
        }
    }

    /** A shard to add at runtime, its credentials from configuration; refused with a reason when it cannot be. */
    ShardsProperties.ShardSpec runtimeSpec(String id, String jdbcUrl) {
        ShardsProperties.ShardSpec spec = new ShardsProperties.ShardSpec(id, jdbcUrl,
                environment.getProperty("bulwark.economy.shard-credentials." + id + ".username"),
                environment.getProperty("bulwark.economy.shard-credentials." + id + ".password"), 1, 10);
        ShardsProperties.validateRuntime(spec);
        return spec;
    }

    /** Told of every shard added at runtime (the cross-shard coordinator takes it as a participant). */
    void onAdded(java.util.function.Consumer<Shard> listener) {
        listeners.add(listener);
    }

    private static HikariDataSource pool(ShardsProperties.ShardSpec spec, ShardsProperties.Ring ring, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("economy-" + spec.id());
        config.setJdbcUrl(spec.jdbcUrl());
        config.setUsername(spec.username());
        config.setPassword(spec.password());
        config.setMaximumPoolSize(spec.poolSize());
        config.setConnectionTimeout(ring.connectionTimeout().toMillis());
        // A shard that is down at start must not stop the service: its players get 503 until it is back.
        config.setInitializationFailTimeout(-1);
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        return new HikariDataSource(config);
    }

    /**
     * Migrates a shard that is not the primary (Boot's Flyway migrates that one) and records the
     * configured ring in it, unless it knows a newer one. False if the shard cannot be reached;
     * it is tried again on every {@link #reload}.
     */
    private synchronized boolean prepare(Shard shard) {
        if (prepared.get(shard.id())) {
            return true;
        }
        try {
            if (shard != primary) {
                Flyway.configure().configuration(flywayTemplate.getConfiguration()).dataSource(shard.dataSource()).load()
                        .migrate();
            }
            HashRing configured = ring;
            new TransactionTemplate(new JdbcTransactionManager(shard.dataSource())).executeWithoutResult(status -> {
                Optional<HashRing> stored = Ownership.stored(shard.jdbc());
                if (stored.isEmpty() || stored.get().version() < configured.version()) {
                    Ownership.record(shard.jdbc(), shard.id(), configured);
                } else if (stored.get().version() == configured.version()
                        && !stored.get().weights().equals(configured.weights())) {
                    throw new IllegalStateException("Shard " + shard.id() + " records ring version " + configured.version()
                            + " as " + stored.get().weights() + " but the configuration says " + configured.weights()
                            + ": raise bulwark.economy.ring.version with a changed shard list");
                }
            });
            prepared.put(shard.id(), true);
            return true;
        } catch (IllegalStateException misconfigured) {
            throw misconfigured;
        } catch (RuntimeException e) {
            log.warn("Economy shard {} not reachable yet; its players get 503 until it is: {}", shard.id(), e.toString());
            return false;
        }
    }

    /**
     * Re-reads the ring from every reachable shard and takes the highest version whose shards are
     * all configured here; says whether the ring changed.
     */
    public synchronized boolean reload() {
        registerAdded();
        HashRing best = ring;
        for (Shard shard : shards.values()) {
            if (!prepare(shard)) {
                continue;
            }
            try {
                Optional<HashRing> stored = Ownership.stored(shard.jdbc());
                if (stored.isPresent() && stored.get().version() > best.version()) {
                    if (shards.keySet().containsAll(stored.get().weights().keySet())) {
                        best = stored.get();
                    } else {
                        log.error("Shard {} records ring version {} over shards {}, not all configured here", shard.id(),
                                stored.get().version(), stored.get().weights().keySet());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Ring of shard {} not readable: {}", shard.id(), e.toString());
            }
        }
        boolean changed = best != ring;
        if (changed) {
            log.info("Economy ring: version {} → {}", ring.version(), best.version());
            ring = best;
        }
        return changed;
    }

    /** A shard that was down at start is migrated and told the ring once it answers. */
    @Scheduled(fixedDelayString = "${bulwark.economy.ring.recovery-interval:10s}",
            initialDelayString = "${bulwark.economy.ring.recovery-interval:10s}")
    void prepareLateShards() {
        if (prepared.containsValue(false)) {
            reload();
        }
    }

    public HashRing ring() {
        return ring;
    }

    /** The shard that owns a player. */
    public Shard forPlayer(UUID playerId) {
        return byName(ring.shardFor(RingKey.player(playerId)));
    }

    /** The shard of a message about a player (its aggregate id is the player id). */
    public Shard forAggregate(String playerId) {
        return forPlayer(UUID.fromString(playerId));
    }

    /** The shard that owns an id made by {@link GlobalIds#newId}. */
    public Shard forId(UUID id) {
        return byName(ring.shardAt(GlobalIds.point(id)));
    }

    /** Where to look for a global id: its point's shard first, then the rest (for ids made before sharding). */
    public Stream<Shard> lookupOrder(UUID id) {
        Shard first = forId(id);
        return Stream.concat(Stream.of(first), shards.values().stream().filter(s -> s != first));
    }

    /** The shard of reference data (the catalog, seeded on every shard by migration) and of the 2PC decision log. */
    public Shard reference() {
        return primary;
    }

    public List<Shard> all() {
        return List.copyOf(shards.values());
    }

    public Optional<Shard> byId(String id) {
        return Optional.ofNullable(shards.get(id));
    }

    private Shard byName(String id) {
        Shard shard = shards.get(id);
        if (shard == null) {
            throw new IllegalStateException("The ring names shard " + id + ", which is not configured");
        }
        return shard;
    }

    /**
     * A write reached a shard that does not own its player under the ring it recorded: reload and
     * ask the caller to retry (503, {@code shard-moved}); the retry goes to the new owner.
     */
    public ApiException notOwned(Shard shard, UUID playerId) {
        reload();
        log.warn("Shard {} refused a write for player {}: not in its ranges (ring now version {})", shard.id(), playerId,
                ring.version());
        return ApiException.unavailable("shard-moved",
                "This player's economy data moved to another shard; retry the request").withHeader("Retry-After", "1");
    }

    /** The point a write checks ownership of ({@code :ring_point} in {@link #OWNS_POINT}). */
    public static long point(UUID playerId) {
        return RingKey.player(playerId).point();
    }

    /** A SQL boolean: whether the shard the statement runs on owns {@code :ring_point}. */
    public static final String OWNS_POINT = Ownership.OWNS_POINT;

    Duration recoveryInterval() {
        return properties.ring().recoveryInterval();
    }

    ShardsProperties properties() {
        return properties;
    }

    Shard primary() {
        return primary;
    }

    @Override
    public void start() {
        relays.forEach(OutboxRelay::start);
        running = true;
    }

    @Override
    public void stop() {
        relays.forEach(OutboxRelay::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The shards' relays stop with the primary's (see OutboxRelay#getPhase). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public void destroy() {
        pools.forEach(HikariDataSource::close);
    }
}
