package dev.bulwark.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Testcontainers PostgreSQL 17 and Apache Kafka, used where a Docker engine answers. */
final class DockerInfrastructure extends TestInfrastructure {

    private final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine")
            .withCommand("postgres", "-c", "max_prepared_transactions=32", "-c", "max_connections=300");
    private final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");

    static boolean dockerAvailable() {
        if (Boolean.getBoolean("bulwark.tests.embedded")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    DockerInfrastructure() {
        postgres.start();
        kafka.start();
    }

    @Override
    String description() {
        return "Testcontainers (Docker)";
    }

    @Override
    String adminJdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    String jdbcUrl(String database) {
        return postgres.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    @Override
    public String username() {
        return postgres.getUsername();
    }

    @Override
    public String password() {
        return postgres.getPassword();
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    void stop() {
        kafka.stop();
        postgres.stop();
    }
}
