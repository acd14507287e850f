package dev.bulwark.economy.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The shard list binds as the stack, compose and the prod overlay give it: from environment
 * variables that replace the application.yaml's one-shard default whole.
 */
class ShardsPropertiesTests {

    @Test
    void theDefaultIsOneShardOnTheServicesOwnDatabase() throws Exception {
        ShardsProperties properties = bind(Map.of());

        assertThat(properties.shards()).extracting(ShardsProperties.ShardSpec::id).containsExactly("shard0");
        assertThat(properties.primary().id()).isEqualTo("shard0");
        assertThat(properties.ring().version()).isEqualTo(1);
        assertThat(properties.ring().vnodesPerShard()).isEqualTo(150);
    }

    @Test
    void environmentVariablesGiveTheWholeShardList() throws Exception {
        ShardsProperties properties = bind(Map.of(
                "BULWARK_ECONOMY_SHARDS_0_ID", "shard0",
                "BULWARK_ECONOMY_SHARDS_1_ID", "shard1",
                "BULWARK_ECONOMY_SHARDS_1_JDBC_URL", "jdbc:postgresql://db1:5432/game_economy",
                "BULWARK_ECONOMY_SHARDS_1_USERNAME", "economy",
                "BULWARK_ECONOMY_SHARDS_1_PASSWORD", "secret",
                "BULWARK_ECONOMY_RING_VERSION", "2"));

        assertThat(properties.shards()).extracting(ShardsProperties.ShardSpec::id).containsExactly("shard0", "shard1");
        assertThat(properties.primary().id()).isEqualTo("shard0");
        ShardsProperties.ShardSpec second = properties.shards().get(1);
        assertThat(List.of(second.jdbcUrl(), second.username(), second.password()))
                .containsExactly("jdbc:postgresql://db1:5432/game_economy", "economy", "secret");
        assertThat(second.weight()).isEqualTo(1.0);
        assertThat(properties.ring().version()).isEqualTo(2);
    }

    @Test
    void aListWithoutExactlyOnePrimaryShardIsRefused() {
        assertThatThrownBy(() -> bind(Map.of(
                "BULWARK_ECONOMY_SHARDS_0_ID", "shard0",
                "BULWARK_ECONOMY_SHARDS_0_JDBC_URL", "jdbc:postgresql://db0:5432/game_economy")))
                .hasRootCauseMessage("Exactly one shard is the service's own database (no jdbc-url); found 0");
    }

    private static ShardsProperties bind(Map<String, Object> environment) throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.get(env), new org.springframework.boot.context.properties.bind
                .PropertySourcesPlaceholdersResolver(env)).bind("bulwark.economy", ShardsProperties.class).get();
    }
}
