package dev.bulwark.platform.web;

import java.io.IOException;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads without a token (the key set, the GraphQL schema, API docs, and the 401s of everything
 * else) are limited per client address ({@link ClientAddress}), so that one address cannot take
 * the service's time with requests that cost it nothing to send; with a token, the per-caller
 * limits apply instead. Actuator and probe paths are not counted: probes and Prometheus call anonymously
 * from a few cluster addresses, and must never be refused. Over the limit: 429 problem+json with
 * {@code Retry-After}.
 */
final class AnonymousReadLimiter extends OncePerRequestFilter {

    /** The probe groups on the service port ({@code management.endpoint.health.probes.add-additional-paths}). */
    private static final Set<String> PROBES = Set.of("/livez", "/readyz");

    private final RateLimit reads;

    AnonymousReadLimiter(RateLimits rateLimits, WebProperties.AddressLimit limit) {
        this.reads = rateLimits.limit("anonymous-reads-per-address", limit.capacity(), limit.capacity(),
                limit.period(), "Too many requests without a token from this address");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !("GET".equals(method) || "HEAD".equals(method)) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getRequestURI().startsWith("/actuator/") || PROBES.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            reads.acquire(ClientAddress.of(request));
        }
        catch (ApiException refused) {
            byte[] body = ProblemErrorReportValve.json(refused.toProblem());
            response.setStatus(refused.status().value());
            refused.headers().forEach(response::setHeader);
            response.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }
}
