package dev.bulwark.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A refusal the caller should understand: it carries the status and the stable problem type.
 * Domain code throws subclasses named for what went wrong; nothing is changed when one escapes
 * a transaction.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    /** For a subclass that a caller catches by type: the status, type and detail of {@code answer}. */
    protected ApiException(ApiException answer) {
        this(answer.status, answer.type, answer.getMessage());
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** Adds a response header, e.g. {@code Retry-After} on a 429. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public ProblemDetail toProblem() {
        return Problems.of(status, type, getMessage());
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " not found");
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, detail);
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, type, detail);
    }

    public static ApiException unauthorized(String type, String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, type, detail);
    }

    /** 503: the caller may retry (say when with {@link #withHeader} {@code Retry-After}). */
    public static ApiException unavailable(String type, String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, type, detail);
    }
}
