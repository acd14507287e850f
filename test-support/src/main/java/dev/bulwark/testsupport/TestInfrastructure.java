package dev.bulwark.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.SpringApplication;

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
            // Spring runs its shutdown handlers after closing every application context. A JVM hook
            // of our own would run concurrently with the closing contexts, stopping PostgreSQL
            // under them: Modulith's registry then waits 30 s for a connection while shutting down.
            SpringApplication.getShutdownHandlers().add(instance::stop);
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

    private KafkaProducer<String, byte[]> producer;

    /**
     * Sends raw bytes and waits until Kafka has them, for tests that deliver messages exactly as
     * they choose (duplicates, gaps, poison).
     */
    public synchronized void send(String topic, String key, byte[] value) {
        if (producer == null) {
            producer = rawProducer();
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not send to " + topic, e.getCause());
        }
    }

    private KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /**
     * Reads {@code topic} from the beginning with a fresh consumer group until {@code count}
     * records with {@code key} were seen or {@code timeout} passed, and returns their values in
     * partition order (fewer than {@code count} on timeout, so the caller's assertion says what
     * was missing).
     */
    public List<byte[]> awaitRecords(String topic, String key, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(r -> {
                    if (key.equals(r.key())) {
                        values.add(r.value());
                    }
                });
            }
        }
        return values;
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
