package dev.bulwark.platform.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Applies {@link TextRules} to the query string (a guild search for {@code name=%00} was a 500:
 * PostgreSQL refuses NUL) before anything else runs; request bodies are checked by
 * {@link StrictJson}. A malformed percent-escape is refused the same way.
 */
final class QueryTextFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> violation = violation(request.getQueryString());
        if (violation.isPresent()) {
            byte[] body = ProblemErrorReportValve.json(Problems.of(HttpStatus.BAD_REQUEST, "invalid-characters",
                    "The query " + violation.get()));
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    static Optional<String> violation(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(query, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return Optional.of("has a malformed percent-escape");
        }
        return TextRules.violation(decoded).map(v -> "contains a character that is not allowed: " + v);
    }
}
