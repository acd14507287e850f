package dev.bulwark.stack;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A single-node Apache Kafka (KRaft, broker and controller in one) in a JVM of its own, with persistent logs. */
final class KafkaBroker {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final String javaExecutable;
    private final List<String> jvmOptions;
    private final Path logFile;
    private final List<FaultLinks.KafkaListener> linkListeners;
    private volatile ChildProcess process;
    private boolean startedBefore;

    KafkaBroker(Path directory, int port, int controllerPort, String classpath, String javaExecutable,
            List<String> jvmOptions, Path logFile, List<FaultLinks.KafkaListener> linkListeners) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.directory = directory;
        this.linkListeners = List.copyOf(linkListeners);
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
        this.javaExecutable = javaExecutable;
        this.logFile = logFile;
    }

    /** Starts the broker JVM without waiting for it; see {@link #awaitReady(Duration)}. */
    synchronized void launch() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        Ports.requireFree(port, "Kafka");
        Ports.requireFree(controllerPort, "Kafka controller");
        for (FaultLinks.KafkaListener listener : linkListeners) {
            Ports.requireFree(listener.port(), "Kafka listener " + listener.name());
        }
        Path properties = writeServerProperties();
        boolean appendLog = startedBefore;
        startedBefore = true;
        if (!Files.exists(logDirectory().resolve("meta.properties"))) {
            format(properties, appendLog);
            appendLog = true;
        }
        process = ChildProcess.start("kafka", java("kafka.Kafka", properties.toString()), Map.of(), directory,
                logFile, appendLog);
    }

    /** Waits for the client port: the broker opens it only once its controller has unfenced it, ready to serve. */
    void awaitReady(Duration timeout) throws InterruptedException {
        ChildProcess broker = process;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.isListening(port)) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("Kafka exited during start-up" + broker.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka did not open port " + port + " within " + timeout.toSeconds()
                        + " s" + broker.logTail());
            }
            Thread.sleep(200);
        }
    }

    synchronized void stop() {
        if (process != null) {
            process.stop(SHUTDOWN_GRACE);
        }
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    int port() {
        return port;
    }

    Path logDirectory() {
        return directory.resolve("data");
    }

    ComponentStatus status() {
        ChildProcess broker = process;
        return broker == null
                ? new ComponentStatus("kafka", "stopped", port, OptionalLong.empty())
                : new ComponentStatus("kafka", broker.state(), port, broker.pid());
    }

    /** Rewritten on every start so a changed port takes effect; the cluster id lives in the formatted log dir. */
    private Path writeServerProperties() throws IOException {
        Files.createDirectories(logDirectory());
        Path file = directory.resolve("server.properties");
        StringBuilder listeners = new StringBuilder("PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:"
                + controllerPort);
        StringBuilder advertised = new StringBuilder("PLAINTEXT://localhost:" + port);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // A client is told the addresses of the listener it connected to: through a fault link's listener, that
        // is the link's proxy, so the client's every later connection crosses the proxy too.
        for (FaultLinks.KafkaListener listener : linkListeners) {
            listeners.append(',').append(listener.name()).append("://localhost:").append(listener.port());
            advertised.append(',').append(listener.name()).append("://localhost:").append(listener.advertisedPort());
            protocols.append(',').append(listener.name()).append(":PLAINTEXT");
        }
        Files.writeString(file, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=" + advertised,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=" + protocols,
                "log.dirs=" + logDirectory().toAbsolutePath(),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // One member joins alone here; the default 3 s delay only slows every consumer start.
                "group.initial.rebalance.delay.ms=0",
                ""), StandardCharsets.UTF_8);
        return file;
    }

    private void format(Path properties, boolean appendLog) throws IOException, InterruptedException {
        // Uuid.randomUuid() is what "StorageTool random-uuid" prints, without starting another JVM for it.
        List<String> command = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", properties.toString());
        ChildProcess storageTool = ChildProcess.start("kafka storage format", command, Map.of(), directory, logFile,
                appendLog);
        if (storageTool.awaitExit(Duration.ofSeconds(120)) != 0) {
            throw new IllegalStateException("Formatting the Kafka log directory failed" + storageTool.logTail());
        }
    }

    private List<String> java(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(javaExecutable));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                "-cp", classpath,
                mainClass));
        command.addAll(List.of(arguments));
        return command;
    }
}
