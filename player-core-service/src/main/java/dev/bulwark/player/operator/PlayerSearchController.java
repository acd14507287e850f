package dev.bulwark.player.operator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The console's player search: by id, or by the start of the username or display name. */
@RestController
@PreAuthorize("@access.isOperator()")
@Validated
class PlayerSearchController {

    private final JdbcClient jdbc;

    PlayerSearchController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Found(UUID playerId, String username, String displayName, int level, Instant createdAt, boolean banned) {
    }

    @GetMapping("/api/v1/admin/players")
    @Operation(summary = "Find players by id, or by the start of the username or display name (case-insensitive), "
            + "names in order (operators: ADMIN or VIEWER)")
    List<Found> search(@RequestParam @NotBlank @Size(max = 64) String q,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        String query = q.strip();
        UUID id = asUuid(query);
        String where = id != null ? "p.player_id = :id"
                : "(lower(p.username) LIKE :prefix OR lower(p.display_name) LIKE :prefix)";
        var statement = jdbc.sql("""
                SELECT p.player_id, p.username, p.display_name, p.level, p.created_at,
                       coalesce(b.banned AND (b.until IS NULL OR b.until > now()), false) AS banned
                FROM player p LEFT JOIN banned_subject b ON b.subject = p.player_id::text
                WHERE %s ORDER BY lower(p.username) LIMIT :limit""".formatted(where))
                .param("limit", limit);
        statement = id != null ? statement.param("id", id)
                : statement.param("prefix", escapeLike(query.toLowerCase(java.util.Locale.ROOT)) + "%");
        return statement.query((rs, n) -> new Found(rs.getObject("player_id", UUID.class), rs.getString("username"),
                rs.getString("display_name"), rs.getInt("level"), rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("banned"))).list();
    }

    private static UUID asUuid(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code _} and {@code %} in a name are literal, not wildcards. */
    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
