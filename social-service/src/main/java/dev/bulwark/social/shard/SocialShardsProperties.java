package dev.bulwark.social.shard;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Social's shards ({@code bulwark.social.shards}) and its ring ({@code bulwark.social.ring}). One
 * shard is the default: the service's own database ({@code spring.datasource}). The entry without
 * a {@code jdbc-url} is that database, and exactly one must be; the others name their server,
 * with credentials configured per shard ({@code BULWARK_SOCIAL_SHARDS_1_PASSWORD}), never inside
 * the URL.
 */
@ConfigurationProperties("bulwark.social")
record SocialShardsProperties(@DefaultValue List<ShardSpec> shards, @DefaultValue Ring ring) {

    record ShardSpec(String id, String jdbcUrl, String username, String password, @DefaultValue("1") double weight,
            @DefaultValue("10") int poolSize) {

        boolean primary() {
            return jdbcUrl == null || jdbcUrl.isBlank();
        }
    }

    /**
     * {@code lock-timeout} ends a cross-shard join that waits on a lock (no server sees a deadlock
     * spanning two); {@code connection-timeout} bounds a request's wait for a shard's connection
     * before its breaker counts a failure.
     */
    record Ring(@DefaultValue("1") long version, @DefaultValue("150") int vnodesPerShard,
            @DefaultValue("3s") Duration connectionTimeout, @DefaultValue("2s") Duration lockTimeout,
            @DefaultValue("30s") Duration recoveryGrace, @DefaultValue("10s") Duration recoveryInterval,
            @DefaultValue("5s") Duration breakerOpenFor) {
    }

    SocialShardsProperties {
        if (shards.isEmpty()) {
            shards = List.of(new ShardSpec("shard0", null, null, null, 1, 10));
        }
        Set<String> ids = new HashSet<>();
        if (shards.stream().filter(ShardSpec::primary).count() != 1) {
            throw new IllegalArgumentException("Exactly one social shard is the service's own database (no jdbc-url)");
        }
        for (ShardSpec shard : shards) {
            if (shard.id() == null || !shard.id().matches("[a-z0-9]{1,40}") || !ids.add(shard.id())) {
                throw new IllegalArgumentException("Social shard ids are distinct, 1-40 lower-case letters and digits: "
                        + shard.id());
            }
        }
    }
}
