package dev.bulwark.social.shard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.MessageTracing;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.messaging.OutboxProperties;
import dev.bulwark.platform.messaging.OutboxRelay;
import dev.bulwark.platform.shard.CrossShardWork;
import dev.bulwark.platform.shard.ShardUnit;
import dev.bulwark.sharding.HashRing;
import dev.bulwark.sharding.RingKey;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Social's shards and the router over them: the platform ring maps a guild's {@link RingKey}
 * (guild key, with its own mixing, never the leader's) or a player's to the shard that holds it.
 * The primary shard is the service's own database (Boot's DataSource, transaction manager, relay
 * and inbox); every other shard gets a pool, a transaction manager, its migrations, an outbox
 * relay and an inbox of its own. The primary also holds what is not sharded yet (friends,
 * leaderboards, presence, notifications, known players), the guild-name directory and the
 * two-phase commit decision log.
 */
@Component
@EnableConfigurationProperties(SocialShardsProperties.class)
// Boot's Flyway migrates the primary before this migrates the others.
@DependsOnDatabaseInitialization
public class SocialShards implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SocialShards.class);

    private final SocialShardsProperties properties;
    private final Map<String, ShardUnit> shards = new LinkedHashMap<>();
    private final Map<String, Boolean> migrated = new java.util.concurrent.ConcurrentHashMap<>();
    private final ShardUnit primary;
    private final HashRing ring;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final Flyway flywayTemplate;
    private final CrossShardWork crossShard;
    private volatile boolean running;

    SocialShards(SocialShardsProperties properties, DataSource dataSource, PlatformTransactionManager transactionManager,
            OutboxRelay primaryRelay, Outbox primaryOutbox, Inbox primaryInbox, Clock clock, MessageTracing tracing,
            KafkaTemplate<Object, Object> kafka, KafkaAdmin kafkaAdmin, OutboxProperties outboxProperties,
            CircuitBreakerRegistry breakers, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<JavaMigration> javaMigrations,
            @Value("${spring.flyway.locations:classpath:db/migration}") String[] flywayLocations,
            @Value("${spring.flyway.out-of-order:false}") boolean outOfOrder,
            @Value("${spring.datasource.hikari.maximum-pool-size:10}") int primaryPoolSize) {
        this.properties = properties;
        SocialShardsProperties.Ring ringSettings = properties.ring();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10).minimumNumberOfCalls(3).failureRateThreshold(50)
                .waitDurationInOpenState(ringSettings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(ShardUnit::unreachable)
                .build();
        this.flywayTemplate = Flyway.configure().locations(flywayLocations).outOfOrder(outOfOrder)
                .javaMigrations(javaMigrations.orderedStream().toArray(JavaMigration[]::new)).load();
        Map<String, Double> weights = new LinkedHashMap<>();
        ShardUnit primaryShard = null;
        for (SocialShardsProperties.ShardSpec spec : properties.shards()) {
            weights.put(spec.id(), spec.weight());
            var breaker = breakers.circuitBreaker("social-shard-" + spec.id(), breakerConfig);
            ShardUnit shard;
            if (spec.primary()) {
                shard = new ShardUnit(spec.id(), "social shard " + spec.id(), dataSource, transactionManager, primaryOutbox,
                        primaryInbox, breaker, primaryRelay::wake);
                primaryShard = shard;
                migrated.put(spec.id(), true);
            } else {
                HikariDataSource pool = pool(spec, ringSettings, meters.getIfAvailable());
                pools.add(pool);
                JdbcClient jdbc = JdbcClient.create(pool);
                OutboxRelay relay = new OutboxRelay(jdbc, kafka, kafkaAdmin, outboxProperties);
                relays.add(relay);
                shard = new ShardUnit(spec.id(), "social shard " + spec.id(), pool, new JdbcTransactionManager(pool),
                        new Outbox(jdbc, clock, tracing, relay::wake), new Inbox(jdbc, tracing), breaker, relay::wake);
                migrated.put(spec.id(), false);
            }
            shards.put(spec.id(), shard);
        }
        this.primary = primaryShard;
        this.ring = HashRing.of(ringSettings.version(), ringSettings.vnodesPerShard(), weights);
        shards.values().forEach(this::migrate);
        this.crossShard = CrossShardWork.over("social", primary, List.copyOf(shards.values()), ringSettings.lockTimeout(),
                ringSettings.recoveryGrace(), ringSettings.recoveryInterval(),
                Math.min(primaryPoolSize, properties.shards().stream().mapToInt(SocialShardsProperties.ShardSpec::poolSize).min()
                        .orElse(primaryPoolSize)) / 3);
    }

    private static HikariDataSource pool(SocialShardsProperties.ShardSpec spec, SocialShardsProperties.Ring ring,
            MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("social-" + spec.id());
        config.setJdbcUrl(spec.jdbcUrl());
        config.setUsername(spec.username());
        config.setPassword(spec.password());
        config.setMaximumPoolSize(spec.poolSize());
        config.setConnectionTimeout(ring.connectionTimeout().toMillis());
        // A shard that is down at start must not stop the service: its guilds and players get 503 until it is back.
        config.setInitializationFailTimeout(-1);
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        return new HikariDataSource(config);
    }

    /** Migrates a shard other than the primary (Boot migrates that one); tried again while it is down. */
    private synchronized void migrate(ShardUnit shard) {
        if (migrated.get(shard.id())) {
            return;
        }
        try {
            Flyway.configure().configuration(flywayTemplate.getConfiguration()).dataSource(shard.dataSource()).load().migrate();
            migrated.put(shard.id(), true);
        } catch (RuntimeException e) {
            log.warn("Social shard {} not reachable yet; its guilds and players get 503 until it is: {}", shard.id(),
                    e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${bulwark.social.ring.recovery-interval:10s}",
            initialDelayString = "${bulwark.social.ring.recovery-interval:10s}")
    void migrateLateShards() {
        shards.values().forEach(this::migrate);
    }

    public HashRing ring() {
        return ring;
    }

    /** The shard of a guild's data, by its guild key: never by its leader. */
    public ShardUnit forGuild(UUID guildId) {
        return byName(ring.shardFor(RingKey.guild(guildId)));
    }

    /** The shard of a player's own data (their guild index). */
    public ShardUnit forPlayer(UUID playerId) {
        return byName(ring.shardFor(RingKey.player(playerId)));
    }

    /** The service's own database: the guild-name directory, the decision log and what is not sharded yet. */
    public ShardUnit primary() {
        return primary;
    }

    public List<ShardUnit> all() {
        return List.copyOf(shards.values());
    }

    public Optional<ShardUnit> byId(String id) {
        return Optional.ofNullable(shards.get(id));
    }

    /** Runs the parts atomically: in one shard's transaction, or by two-phase commit across shards. */
    public void atomically(List<CrossShardWork.Part> parts) {
        crossShard.execute(parts);
    }

    private ShardUnit byName(String id) {
        ShardUnit shard = shards.get(id);
        if (shard == null) {
            throw new IllegalStateException("The ring names shard " + id + ", which is not configured");
        }
        return shard;
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
    public void destroy() throws Exception {
        crossShard.close();
        pools.forEach(HikariDataSource::close);
    }
}
