package dev.bulwark.load;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.bulwark.stack.Service;
import tools.jackson.databind.JsonNode;

/**
 * The core path as a player sees it, measured at a fixed rate (open: a slow answer does not delay
 * the next request): the player screen query of a few probe players, on top of the background
 * load. An answer without the player's own fields (or no answer within the client's timeout) is a
 * core-path error; one whose {@code errors[]} names a missing part (the wallet while the economy
 * is away) is degraded, which the player-core design promises instead of failing.
 */
final class Probe implements AutoCloseable {

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
    private static final String BODY = "{\"query\":\"" + PlayerLoadSimulation.PLAYER_SCREEN + "\"}";

    private final List<String> tokens;
    private final AtomicReference<Timeline> timeline = new AtomicReference<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();

    private volatile Instant lastWallet = Instant.EPOCH;

    Probe(List<String> tokens, int perSecond) {
        this.tokens = tokens;
        ticks.scheduleAtFixedRate(() -> Thread.ofVirtual().start(this::once), 0, 1_000_000 / perSecond,
                TimeUnit.MICROSECONDS);
    }

    /** Where the answers go from now on (one timeline per drill); null: nowhere. */
    void recordInto(Timeline into) {
        timeline.set(into);
    }

    /** When an answer last carried the wallet (the economy's part). */
    Instant lastWallet() {
        return lastWallet;
    }

    private void once() {
        Timeline into = timeline.get();
        String token = tokens.get(Math.floorMod(next.getAndIncrement(), tokens.size()));
        Instant sent = Instant.now();
        long start = System.nanoTime();
        int outcome;
        try {
            HttpResponse<String> response = Http.CLIENT.send(Http.request(Service.PLAYER_CORE, "/graphql", token, CLIENT_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
            outcome = judge(response);
        } catch (HttpTimeoutException e) {
            outcome = 2;
        } catch (IOException e) {
            outcome = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (into != null) {
            into.record(sent, Duration.ofNanos(System.nanoTime() - start), outcome);
        }
    }

    private int judge(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return 2;
        }
        JsonNode body = Http.json(response);
        JsonNode me = body.path("data").path("me");
        if (me.path("displayName").isMissingNode() || me.path("displayName").isNull()) {
            return 2;
        }
        boolean wallet = !me.path("wallet").isNull() && !me.path("wallet").isMissingNode();
        if (wallet) {
            lastWallet = Instant.now();
        }
        return body.path("errors").isEmpty() ? 0 : 1;
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }
}
