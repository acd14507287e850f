package dev.bulwark.economy.ratelimit;

import java.util.Map;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import dev.bulwark.platform.ratelimit.RateLimit;
import dev.bulwark.platform.ratelimit.RateLimits;
import dev.bulwark.platform.security.Access;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Limits writes to a player's resources ({@code /api/v1/players/{playerId}/...}, any method but
 * GET/HEAD/OPTIONS) per (caller, player), with token buckets that every instance shares (they
 * live in the service's primary database, see {@link RateLimits}). Over the limit: 429
 * problem+json with {@code Retry-After} in whole seconds, and the request is not run. Keyed by
 * caller too, so that nobody can spend a player's budget by writing to their paths.
 */
@Component
class PlayerWriteRateLimiter implements HandlerInterceptor {

    private final Access access;
    private final RateLimit writes;

    PlayerWriteRateLimiter(RateLimitProperties properties, Access access, RateLimits rateLimits) {
        this.access = access;
        this.writes = rateLimits.limit("economy-player-writes", properties.burst(), properties.refill(),
                properties.period(), "Too many writes for this player");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        HttpMethod method = HttpMethod.valueOf(request.getMethod());
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request
                .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String player = variables == null ? null : variables.get("playerId");
        if (player != null) {
            writes.acquire(access.subject() + "|" + player);
        }
        return true;
    }
}
