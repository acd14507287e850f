package dev.bulwark.economy.sharding;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The economy's shards ({@code bulwark.economy.shards}) and its ring ({@code bulwark.economy.ring}).
 * One shard is the default: the service's own database ({@code spring.datasource}). Every entry
 * without a {@code jdbc-url} is that database, and exactly one must be; the others name their
 * server, with credentials configured per shard id ({@code BULWARK_ECONOMY_SHARDS_1_PASSWORD}),
 * never inside the URL.
 */
@ConfigurationProperties("bulwark.economy")
record ShardsProperties(@DefaultValue List<ShardSpec> shards, @DefaultValue Ring ring) {

    /** A shard: a name that stays (gids and decision rows carry it), and where its database is. */
    record ShardSpec(String id, String jdbcUrl, String username, String password, @DefaultValue("1") double weight,
            @DefaultValue("10") int poolSize) {

        boolean primary() {
            return jdbcUrl == null || jdbcUrl.isBlank();
        }
    }

    /**
     * {@code version} is the ring version this configuration describes (raise it with the shard
     * list); {@code connection-timeout} bounds how long a request waits for a shard's connection
     * before its breaker counts a failure; {@code lock-timeout} ends a cross-shard transfer that
     * waits on a lock, since no server sees a deadlock that spans two.
     */
    record Ring(@DefaultValue("1") long version, @DefaultValue("150") int vnodesPerShard,
            @DefaultValue("3s") Duration connectionTimeout, @DefaultValue("2s") Duration lockTimeout,
            @DefaultValue("30s") Duration recoveryGrace, @DefaultValue("10s") Duration recoveryInterval,
            @DefaultValue("5s") Duration breakerOpenFor) {
    }

    ShardsProperties {
        if (shards.isEmpty()) {
            shards = List.of(new ShardSpec("shard0", null, null, null, 1, 10));
        }
        Set<String> ids = new HashSet<>();
        long primaries = 0;
        for (ShardSpec shard : shards) {
            if (shard.id() == null || !shard.id().matches("[a-z0-9]{1,40}")) {
                throw new IllegalArgumentException("A shard id is 1-40 lower-case letters and digits: " + shard.id());
            }
            if (!ids.add(shard.id())) {
                throw new IllegalArgumentException("Shard " + shard.id() + " is listed twice");
            }
            if (shard.primary()) {
                primaries++;
            }
        }
        if (primaries != 1) {
            throw new IllegalArgumentException("Exactly one shard is the service's own database (no jdbc-url); found "
                    + primaries);
        }
    }

    /**
     * A shard added at runtime: a valid id, a PostgreSQL URL without credentials in it (they
     * would end up in logs, job rows and API answers), and credentials configured for its id.
     */
    static void validateRuntime(ShardSpec spec) {
        if (spec.id() == null || !spec.id().matches("[a-z0-9]{1,40}")) {
            throw new IllegalArgumentException("A shard id is 1-40 lower-case letters and digits: " + spec.id());
        }
        String url = spec.jdbcUrl() == null ? "" : spec.jdbcUrl();
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("A shard's URL is jdbc:postgresql://host:port/database");
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.substring("jdbc:postgresql://".length()).split("[/?]", 2)[0].contains("@")
                || lower.matches(".*[?&](user|password|sslpassword)=.*")) {
            throw new IllegalArgumentException("A shard's URL must not carry credentials; configure "
                    + "bulwark.economy.shard-credentials." + spec.id() + ".username and .password");
        }
        if (spec.username() == null || spec.username().isBlank()) {
            throw new IllegalArgumentException("No credentials configured for shard " + spec.id()
                    + ": set bulwark.economy.shard-credentials." + spec.id() + ".username and .password");
        }
    }

    ShardSpec primary() {
        return shards.stream().filter(ShardSpec::primary).findFirst().orElseThrow();
    }
}
