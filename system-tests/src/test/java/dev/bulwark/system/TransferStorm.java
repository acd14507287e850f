package dev.bulwark.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.bulwark.stack.Service;
import dev.bulwark.testsupport.checker.History;
import dev.bulwark.testsupport.checker.Operation;

/**
 * Clients that transfer GOLD between players as fast as their think time allows, each retrying an
 * unanswered transfer (a timeout, a broken connection, a 5xx, a 429) with its Idempotency-Key
 * until the answer is definite, as a real client would, and recording every attempt in a
 * {@link History} for the checker of acknowledged operations. The storm can be paused (clients
 * wait before their next attempt, in-flight operations stay open) while a test restarts the
 * economy or inspects the shards; {@link #stop} lets every open operation finish first.
 */
final class TransferStorm {

    /** A player of the storm, and the shard the economy said owns it. */
    record Player(UUID id, String token, String shard) {
    }

    /** Who sends to whom next, and the label the operation gets ({@code cross-shard}, ...). */
    record Pair(Player from, Player to, String label) {
    }

    private static final String TRANSFERS = Service.GAME_ECONOMY.baseUrl() + "/api/v1/transfers";
    /** A client's patience per attempt. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration GIVE_UP = SystemStack.HEALTHY.plusMinutes(1);

    private final History history;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService clients;
    private final List<Future<?>> running = new ArrayList<>();
    private final Object gate = new Object();
    private boolean paused;
    private volatile boolean stopping;

    private TransferStorm(History history, int clientCount) {
        this.history = history;
        this.clients = Executors.newFixedThreadPool(clientCount);
    }

    /** Starts {@code clientCount} clients, each picking its next pair with {@code pairs}, {@code think} ms apart (± half). */
    static TransferStorm start(History history, int clientCount, Function<ThreadLocalRandom, Pair> pairs, int think) {
        TransferStorm storm = new TransferStorm(history, clientCount);
        for (int c = 0; c < clientCount; c++) {
            storm.running.add(storm.clients.submit(() -> {
                while (!storm.stopping) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    storm.transfer(pairs.apply(random), 1 + random.nextInt(10));
                    Thread.sleep(think / 2 + random.nextInt(think));
                }
                return null;
            }));
        }
        return storm;
    }

    /** Clients wait before their next attempt until {@link #resume}. */
    void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** No new operations; returns once every open one has a definite answer (or gave up). */
    void stop() throws Exception {
        stopping = true;
        resume();
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
    }

    private void awaitGate() throws InterruptedException {
        synchronized (gate) {
            while (paused) {
                gate.wait();
            }
        }
    }

    private void transfer(Pair pair, long gold) throws Exception {
        String key = UUID.randomUUID().toString();
        Operation operation = history.beginAcross("transfer " + pair.label(), key, pair.from().id(), "TransferSent",
                "transferId", Map.of(pair.from().id(), Map.of("GOLD", -gold), pair.to().id(), Map.of("GOLD", gold)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(TRANSFERS))
                .timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + pair.from().token())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(SystemStack.JSON.writeValueAsString(Map.of(
                        "fromPlayerId", pair.from().id(), "toPlayerId", pair.to().id(), "currency", Map.of("GOLD", gold)))))
                .build();
        DefiniteAnswers.send(http, request, operation, "transferId", GIVE_UP, this::awaitGate);
    }
}
