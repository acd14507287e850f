package dev.bulwark.platform.web;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problems with stable type URIs under {@value #TYPE_BASE}. */
public final class Problems {

    public static final String TYPE_BASE = "https://bulwark.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        return problem;
    }
}
