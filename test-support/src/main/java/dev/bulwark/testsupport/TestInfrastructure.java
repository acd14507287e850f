package dev.bulwark.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real PostgreSQL and Kafka that integration tests run on, started once per JVM: containers
 * where a Docker engine answers, embedded binaries (zonky PostgreSQL, the KRaft broker of
 * spring-kafka-test) everywhere else. The same suite runs on both.
 */
public abstract class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

    private static TestInfrastructure instance;

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            instance = DockerInfrastructure.dockerAvailable() ? new DockerInfrastructure() : new EmbeddedInfrastructure();
            log.info("Test infrastructure: {} (PostgreSQL {}, Kafka {})", instance.description(),
                    instance.adminJdbcUrl(), instance.kafkaBootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-infrastructure-stop"));
        }
        return instance;
    }

    abstract String description();

    /** A JDBC URL of the server's maintenance database, for creating databases. */
    abstract String adminJdbcUrl();

    public abstract String username();

    public abstract String password();

    public abstract String kafkaBootstrapServers();

    abstract String jdbcUrl(String database);

    /** A plain producer of raw bytes, for tests that deliver messages exactly as they choose. */
    public KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    abstract void stop();

    /** The JDBC URL of {@code database}, created on first use. */
    public synchronized String database(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(adminJdbcUrl(), username(), password());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + database, e);
        }
        return jdbcUrl(database);
    }
}
