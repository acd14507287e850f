package dev.bulwark.platform.web;

import java.net.URI;

import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problems with stable type URIs under {@value #TYPE_BASE}. */
public final class Problems {

    public static final String TYPE_BASE = "https://bulwark.dev/problems/";

    private Problems() {
    }

    /**
     * The type of a refusal known only by its status (a Tomcat or Spring rejection): the status's
     * reason phrase as a slug, e.g. {@code method-not-allowed}; 400 is {@code malformed-request}.
     */
    public static String typeFor(HttpStatusCode status) {
        if (status.value() == 400) {
            return "malformed-request";
        }
        if (status.value() == 401) {
            return "unauthorized";
        }
        if (status.is5xxServerError()) {
            return "internal";
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value()
                : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** A problem for a bare status, with the status's reason phrase as its detail. */
    public static ProblemDetail forStatus(int status) {
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        HttpStatus known = HttpStatus.resolve(status);
        return of(code, typeFor(code), known == null ? "Request refused" : known.getReasonPhrase());
    }

    public static ProblemDetail of(HttpStatusCode status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        return problem;
    }
}
