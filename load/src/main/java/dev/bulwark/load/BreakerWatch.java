package dev.bulwark.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bulwark.stack.Service;

/** Player-core's breaker for one downstream as its actuator reports it, polled every 250 ms: each change and when. */
final class BreakerWatch implements AutoCloseable {

    record Change(Instant at, String state) {
    }

    private final List<Change> changes = new ArrayList<>();
    private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();

    BreakerWatch(String breaker, String adminToken) {
        polls.scheduleWithFixedDelay(() -> {
            try {
                var response = Http.get(Service.PLAYER_CORE, "/actuator/circuitbreakers", adminToken);
                if (response.statusCode() == 200) {
                    String state = Http.json(response).path("circuitBreakers").path(breaker).path("state").asString();
                    synchronized (changes) {
                        if (changes.isEmpty() || !changes.getLast().state().equals(state)) {
                            changes.add(new Change(Instant.now(), state));
                        }
                    }
                }
            } catch (Exception e) {
                // a missed poll: the next one tells
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
    }

    List<Change> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }

    /** The first change to {@code state} at or after {@code after}. */
    Optional<Instant> firstAfter(Instant after, String state) {
        return changes().stream().filter(c -> !c.at().isBefore(after) && c.state().equals(state)).map(Change::at)
                .findFirst();
    }

    String current() {
        List<Change> all = changes();
        return all.isEmpty() ? "?" : all.getLast().state();
    }

    @Override
    public void close() {
        polls.shutdownNow();
    }
}
