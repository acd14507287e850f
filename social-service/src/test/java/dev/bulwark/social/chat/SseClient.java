package dev.bulwark.social.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bulwark.testsupport.TestKeys;

/** A minimal Server-Sent Events reader over the JDK HTTP client, as a game client would hold one. */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data) {
    }

    private static final Event END = new Event(null, "<end of stream>", null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int status;
    private final String contentType;
    private Stream<String> lines;

    private SseClient(int port, UUID guildId, UUID player, Long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/guilds/" + guildId + "/messages/stream"))
                .header("Authorization", "Bearer " + TestKeys.primary().playerToken(player))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        status = response.statusCode();
        contentType = response.headers().firstValue("Content-Type").orElse(null);
        lines = response.body();
        Thread.ofVirtual().start(this::read);
    }

    static SseClient open(int port, UUID guildId, UUID player, Long lastEventId) {
        try {
            return new SseClient(port, guildId, player, lastEventId);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return status;
    }

    /** The response's content type: {@code text/event-stream} for a stream, a problem type for a refusal. */
    String contentType() {
        return contentType;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null || !data.isEmpty()) {
                        events.add(new Event(id, name == null ? "message" : name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException e) {
            // the connection was closed under the reader: that is the end of the stream too
        } finally {
            events.add(END);
        }
    }

    /** The next event, or null when none came within {@code timeout}. */
    Event next(Duration timeout) {
        try {
            Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == END) {
                events.add(END);
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next {@code count} events (fewer on timeout, or when the stream ends). */
    List<Event> next(int count, Duration timeout) {
        List<Event> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Event event = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (event == null || event == END) {
                break;
            }
            received.add(event);
        }
        return received;
    }

    /** Whether the server ended the stream within {@code timeout}, skipping what came before. */
    boolean endsWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (next(Duration.ofNanos(deadline - System.nanoTime())) == END) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (lines != null) {
            lines.close();
        }
        http.shutdownNow();
    }
}
