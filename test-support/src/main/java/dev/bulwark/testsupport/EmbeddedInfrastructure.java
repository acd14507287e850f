package dev.bulwark.testsupport;

import java.io.IOException;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Real PostgreSQL binaries from Maven and spring-kafka's in-JVM KRaft broker. */
final class EmbeddedInfrastructure extends TestInfrastructure {

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafkaKraftBroker kafka;

    EmbeddedInfrastructure() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_prepared_transactions", "32")
                    .setServerConfig("max_connections", "300")
                    // Stopped by TestInfrastructure after the Spring contexts closed, not by a
                    // JVM hook of zonky's own that races them.
                    .setRegisterShutdownHook(false)
                    .start();
        }
        catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL did not start", e);
        }
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.brokerProperty("auto.create.topics.enable", "true");
        kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
        kafka.afterPropertiesSet();
    }

    @Override
    String description() {
        return "embedded (zonky PostgreSQL, in-JVM KRaft broker)";
    }

    @Override
    String adminJdbcUrl() {
        return jdbcUrl("postgres");
    }

    @Override
    String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    /**
     * Stops PostgreSQL, a separate process that would outlive the JVM. The in-JVM broker ends
     * with the JVM; stopping it here would wait on clients of contexts that are closing too.
     */
    @Override
    void stop() {
        try {
            postgres.close();
        }
        catch (IOException ignored) {
            // the JVM is exiting; the temp data directory goes with it
        }
    }
}
