package dev.bulwark.testsupport.checker;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

/**
 * One request of an operation, as its client saw it.
 *
 * @param detail what the client got, short enough to group by: {@code HTTP 201},
 *               {@code HTTP 503 problem+json shard-unavailable}, {@code timeout},
 *               {@code ConnectException}
 */
public record Attempt(Instant start, Instant end, Outcome outcome, String detail) {

    private static final String PROBLEMS = "https://bulwark.dev/problems/";

    public Duration took() {
        return Duration.between(start, end);
    }

    /** Classifies an answer: 2xx acknowledged, 5xx unknown, any other refused. */
    public static Attempt of(Instant start, HttpResponse<String> response) {
        int status = response.statusCode();
        Outcome outcome = status >= 200 && status < 300 ? Outcome.ACKNOWLEDGED
                : status >= 500 ? Outcome.UNKNOWN : Outcome.REFUSED;
        StringBuilder detail = new StringBuilder("HTTP ").append(status);
        if (status >= 300) {
            String contentType = response.headers().firstValue("Content-Type").orElse("no content type");
            detail.append(contentType.startsWith("application/problem+json") ? " problem+json" : " " + contentType);
            int type = response.body().indexOf(PROBLEMS);
            if (type >= 0) {
                int endOfType = response.body().indexOf('"', type);
                detail.append(' ').append(response.body(), type + PROBLEMS.length(),
                        endOfType > type ? endOfType : response.body().length());
            }
        }
        return new Attempt(start, Instant.now(), outcome, detail.toString());
    }

    /** A request that got no answer: always unknown. */
    public static Attempt failed(Instant start, IOException failure) {
        String detail = failure instanceof HttpTimeoutException ? "timeout" : failure.getClass().getSimpleName();
        return new Attempt(start, Instant.now(), Outcome.UNKNOWN, detail);
    }
}
