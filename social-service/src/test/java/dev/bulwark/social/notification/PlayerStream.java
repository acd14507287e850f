package dev.bulwark.social.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bulwark.testsupport.TestKeys;

/**
 * A player's notification stream as a game client holds it: each event with the instant it
 * arrived; when the server ends the stream (its timeout) it reconnects with Last-Event-ID.
 */
public final class PlayerStream implements AutoCloseable {

    public record Event(String id, String data, long arrivedNanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final UUID player;
    private volatile Stream<String> lines;
    private volatile boolean closed;
    private String lastId;

    private PlayerStream(int port, UUID player) throws IOException, InterruptedException {
        this.port = port;
        this.player = player;
        connect();
        Thread.ofVirtual().start(this::read);
    }

    public static PlayerStream open(int port, UUID player) {
        try {
            return new PlayerStream(port, player);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void connect() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/players/" + player + "/notifications/stream"))
                .header("Authorization", "Bearer " + TestKeys.primary().playerToken(player))
                .header("Accept", "text/event-stream");
        if (lastId != null) {
            request.header("Last-Event-ID", lastId);
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("stream answered " + response.statusCode());
        }
        lines = response.body();
    }

    private void read() {
        while (!closed) {
            String id = null;
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty() && !data.isEmpty()) {
                        events.add(new Event(id, data.toString(), System.nanoTime()));
                        lastId = id;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
                if (!closed) {
                    connect();
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                return; // closed under the reader
            }
        }
    }

    /** The next notification, or null when none came within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        lines.close();
        http.shutdownNow();
    }
}
