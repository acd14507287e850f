package dev.bulwark.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The links a stack started with fault links routes through a {@link FaultProxy} each: every service to PostgreSQL
 * and to Kafka, and player-core to the economy and to social (the player query's live reads). Ports are fixed from
 * a base (6400 by default) in the order of {@link #plan}, so that scripts and tests can rely on them.
 *
 * <p>Kafka needs more than a proxy in front of its port: after the bootstrap a client connects to the address the
 * broker advertises. So each service's Kafka link has a listener of its own on the broker (its proxy's port + 10: base + 13 to 15) that
 * advertises the link's proxy port; everything that service sends or fetches then crosses the proxy.
 */
final class FaultLinks implements AutoCloseable {

    static final int DEFAULT_BASE_PORT = 6400;
    private static final int KAFKA_LISTENER_OFFSET = 10;
    private static final String LOCALHOST = "localhost";

    /** One planned link: the proxy's port and where it forwards to. */
    record Plan(String name, int port, int targetPort) {
    }

    /** A broker listener for one service's Kafka link, advertising the link's proxy. */
    record KafkaListener(String name, int port, int advertisedPort) {
    }

    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final List<KafkaListener> kafkaListeners = new ArrayList<>();
    private final Map<Service, Map<String, String>> environment = new LinkedHashMap<>();
    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

    FaultLinks(int basePort, int postgresPort, int economyShard1Port) {
        int next = basePort;
        for (Service service : Service.backends()) {
            Plan plan = add(service.shortName() + "-postgres", next++, postgresPort);
            variables(service).put("BULWARK_DB_URL",
                    "jdbc:postgresql://" + LOCALHOST + ":" + plan.port() + "/" + service.database());
        }
        for (Service service : Service.backends()) {
            int listenerPort = next + KAFKA_LISTENER_OFFSET;
            Plan plan = add(service.shortName() + "-kafka", next++, listenerPort);
            kafkaListeners.add(new KafkaListener("LINK_" + service.name(), listenerPort, plan.port()));
            variables(service).put("KAFKA_BOOTSTRAP_SERVERS", LOCALHOST + ":" + plan.port());
        }
        for (Service downstream : List.of(Service.GAME_ECONOMY, Service.SOCIAL)) {
            Plan plan = add(Service.PLAYER_CORE.shortName() + "-" + downstream.shortName(), next++, downstream.port());
            // player-core's application.yaml reads these for its resilient clients' base URLs.
            variables(Service.PLAYER_CORE).put("BULWARK_" + downstream.name().replace("GAME_", "") + "_URL",
                    "http://" + LOCALHOST + ":" + plan.port());
        }
        // The economy's shard 1 server: base + 8, below the Kafka links' broker listeners (base + 13 to 15).
        Plan shard1 = add(Service.GAME_ECONOMY.shortName() + "-" + StackController.ECONOMY_SHARD_1, next, economyShard1Port);
        variables(Service.GAME_ECONOMY).put("BULWARK_ECONOMY_SHARDS_1_JDBC_URL",
                "jdbc:postgresql://" + LOCALHOST + ":" + shard1.port() + "/" + Service.GAME_ECONOMY.database());
    }

    private Plan add(String name, int port, int targetPort) {
        Plan plan = new Plan(name, port, targetPort);
        plans.put(name, plan);
        return plan;
    }

    private Map<String, String> variables(Service service) {
        return environment.computeIfAbsent(service, s -> new LinkedHashMap<>());
    }

    /** What points a service's JDBC URL, Kafka bootstrap and downstream base URLs at its proxies. */
    Map<String, String> environment(Service service) {
        return Map.copyOf(environment.getOrDefault(service, Map.of()));
    }

    List<KafkaListener> kafkaListeners() {
        return List.copyOf(kafkaListeners);
    }

    /** Starts every proxy, healthy. Idempotent: a restarted stack keeps its proxies and their faults. */
    synchronized void start() throws IOException {
        for (Plan plan : plans.values()) {
            if (!proxies.containsKey(plan.name())) {
                Ports.requireFree(plan.port(), "fault link " + plan.name());
                proxies.put(plan.name(), FaultProxy.start(plan.name(), plan.port(), LOCALHOST, plan.targetPort()));
            }
        }
    }

    synchronized FaultProxy get(String name) {
        FaultProxy proxy = proxies.get(name);
        if (proxy == null) {
            throw new IllegalArgumentException(plans.containsKey(name)
                    ? "Fault link " + name + " is not started yet"
                    : "Unknown link '" + name + "'; the links are " + String.join(", ", plans.keySet()));
        }
        return proxy;
    }

    synchronized Collection<FaultProxy> all() {
        return List.copyOf(proxies.values());
    }

    synchronized void healAll() throws IOException {
        for (FaultProxy proxy : proxies.values()) {
            proxy.heal();
        }
    }

    @Override
    public synchronized void close() {
        proxies.values().forEach(FaultProxy::close);
        proxies.clear();
    }

    @Override
    public String toString() {
        return plans.values().stream().map(plan -> plan.name() + " :" + plan.port() + " -> :" + plan.targetPort())
                .collect(Collectors.joining(", "));
    }
}
