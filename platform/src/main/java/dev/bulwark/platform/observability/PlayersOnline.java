package dev.bulwark.platform.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.bulwark.platform.security.Roles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code bulwark_players_online}: distinct players (token subjects with role PLAYER) that made a
 * request to this instance within the window — the per-pod load signal the autoscalers use
 * (target 1,000). Memory is one entry per active player; older entries are dropped when read.
 */
public class PlayersOnline implements HandlerInterceptor, MeterBinder {

    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final String PLAYER_AUTHORITY = "ROLE_" + Roles.PLAYER;

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;

    public PlayersOnline(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.isAuthenticated()
                && caller.getAuthorities().stream().anyMatch(a -> PLAYER_AUTHORITY.equals(a.getAuthority()))) {
            lastSeen.put(caller.getName(), clock.instant());
        }
        return true;
    }

    public long count() {
        Instant cutoff = clock.instant().minus(WINDOW);
        lastSeen.values().removeIf(seen -> seen.isBefore(cutoff));
        return lastSeen.size();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("bulwark.players.online", this::count)
                .description("Distinct players that made a request to this instance in the last 5 minutes")
                .register(registry);
    }
}
