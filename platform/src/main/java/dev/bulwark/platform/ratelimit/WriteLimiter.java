package dev.bulwark.platform.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.bulwark.platform.security.Access;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The one write limit of every service: each POST, PUT, PATCH and DELETE takes a token from the
 * caller's bucket before the handler runs (see {@link WriteLimitProperties}), in the service's
 * PostgreSQL so every instance shares it ({@link RateLimits}). Over the limit: 429 problem+json
 * {@code rate-limited} with {@code Retry-After}, and nothing runs. The bucket is the caller's
 * (the token subject) and, on paths naming a player ({@code {playerId}}), that player's: a game
 * server writing for a thousand players gets a budget per player, a player one for their own
 * resources, and nobody can spend another caller's budget. Requests without a token (login,
 * registration) are left to the per-address rules of the service that serves them.
 * {@link IdempotentWrite} handlers decide themselves after looking their key up.
 */
public class WriteLimiter implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(WriteLimiter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private record Rule(PathPattern pattern, RateLimit limit) {
    }

    private final Access access;
    private final List<Rule> routes = new ArrayList<>();
    private final RateLimit everyOtherWrite;

    public WriteLimiter(WriteLimitProperties properties, RateLimits rateLimits, Access access) {
        this.access = access;
        for (WriteLimitProperties.Route route : properties.routes()) {
            routes.add(new Rule(PathPatternParser.defaultInstance.parse(route.pattern()), rateLimits.limit(
                    "writes " + route.pattern(), route.capacity(), route.refill(), route.period(), "Too many writes")));
        }
        this.everyOtherWrite = rateLimits.limit("writes", properties.capacity(), properties.refill(), properties.period(),
                "Too many writes");
    }

    /** The limit a write to this path draws on. */
    public RateLimit limitFor(String path) {
        PathContainer container = PathContainer.parsePath(path);
        return routes.stream().filter(r -> r.pattern().matches(container)).map(Rule::limit).findFirst()
                .orElse(everyOtherWrite);
    }

    /** The bucket of a caller, for the player a path names (null when it names none). */
    public static String key(String subject, String playerId) {
        return playerId == null ? subject : subject + "|" + playerId;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String subject = access.subject();
        if (!WRITES.contains(request.getMethod()) || subject == null) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String key = key(subject, variables == null ? null : variables.get("playerId"));
        RateLimit limit = limitFor(request.getRequestURI().substring(request.getContextPath().length()));
        if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(IdempotentWrite.class)) {
            var probe = limit.tryAcquire(key);
            request.setAttribute(WriteToken.ATTRIBUTE,
                    probe.isConsumed() ? WriteToken.taken(limit, key) : WriteToken.refused(limit.refusal(probe)));
            return true;
        }
        limit.acquire(key);
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(WriteToken.ATTRIBUTE) instanceof WriteToken token && token.unsettledRefusal()) {
            log.error("{} {} ran although its caller had no write token: the @IdempotentWrite handler never asked",
                    request.getMethod(), request.getRequestURI());
        }
    }
}
