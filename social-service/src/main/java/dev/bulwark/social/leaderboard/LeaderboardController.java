package dev.bulwark.social.leaderboard;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.security.Access;
import dev.bulwark.social.leaderboard.LeaderboardRules.Board;
import dev.bulwark.social.leaderboard.LeaderboardRules.Operator;
import dev.bulwark.social.leaderboard.LeaderboardRules.SortOrder;
import dev.bulwark.social.leaderboard.Leaderboards.Page;
import dev.bulwark.social.leaderboard.Leaderboards.Written;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Leaderboards: operators create boards, game servers write scores (a player never posts their
 * own), anyone signed in reads them; a friends-only board is for the player themselves.
 */
@RestController
@Validated
class LeaderboardController {

    private final Leaderboards leaderboards;
    private final Access access;

    LeaderboardController(Leaderboards leaderboards, Access access) {
        this.leaderboards = leaderboards;
        this.access = access;
    }

    @Schema(description = "A board: its id (1–64 letters, digits or . _ : -), which scores rank first, how a written "
            + "score combines with the stored one, and an optional reset schedule (a six-field cron expression in UTC, "
            + "e.g. \"0 0 0 * * MON\" for weekly; past periods stay readable)")
    record BoardRequest(@NotNull String leaderboardId, @NotNull SortOrder sortOrder, @NotNull Operator operator,
            String resetSchedule) {
    }

    @Schema(description = "A score for a player, combined with the stored one by the board's operator "
            + "(for INCREMENT and DECREMENT: a non-negative amount)")
    record ScoreRequest(@NotNull UUID playerId,
            @NotNull @Schema(type = "integer", format = "int64", description = "an integer; 1.5 or 1e3 are refused") Number score) {

        /** The score as an exact integer: Jackson would otherwise truncate 1.5 to 1 for a long. */
        long exactScore() {
            if (score instanceof Integer || score instanceof Long) {
                return score.longValue();
            }
            throw new LeaderboardRefusal(LeaderboardRefusal.Reason.INVALID_SCORE, "A score is an integer from -"
                    + LeaderboardRules.MAX_SCORE + " to " + LeaderboardRules.MAX_SCORE);
        }
    }

    @Operation(summary = "Operators: create a board (201); the same definition again answers 200, another one 409")
    @ApiResponse(responseCode = "400", description = "invalid-leaderboard (id, schedule) or malformed-request (order, operator)")
    @ApiResponse(responseCode = "409", description = "leaderboard-exists")
    @PostMapping("/api/v1/admin/leaderboards")
    @PreAuthorize("@access.hasRole('ADMIN')")
    ResponseEntity<Board> create(@Valid @RequestBody BoardRequest request) {
        boolean created = leaderboards.create(request.leaderboardId(), request.sortOrder(), request.operator(),
                request.resetSchedule(), access.subject());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(new Board(request.leaderboardId(),
                request.sortOrder(), request.operator(), request.resetSchedule()));
    }

    @Operation(summary = "Game servers: write a player's score in the current period; a retry with the same "
            + "Idempotency-Key answers as the first write did")
    @ApiResponse(responseCode = "201", description = "the score stored after the operator")
    @ApiResponse(responseCode = "400", description = "invalid-score, invalid-leaderboard or invalid-idempotency-key")
    @ApiResponse(responseCode = "404", description = "not-found: no such board")
    @ApiResponse(responseCode = "409", description = "idempotency-key-reused or score-out-of-range")
    @PostMapping("/api/v1/leaderboards/{leaderboardId}/records")
    @PreAuthorize("@access.hasRole('GAME_SERVER')")
    ResponseEntity<Written> write(@PathVariable String leaderboardId,
            @Parameter(description = "the game server's request id for this write") @RequestHeader("Idempotency-Key") String key,
            @Valid @RequestBody ScoreRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(leaderboards.write(access.subject(), leaderboardId, key, request.playerId(), request.exactScore()));
    }

    @Operation(summary = "Records in rank order, a page at a time (top N: the first page); with friendsOf, only that "
            + "player and their friends, ranked among themselves (that player only)")
    @ApiResponse(responseCode = "404", description = "not-found: no such board")
    @GetMapping("/api/v1/leaderboards/{leaderboardId}/records")
    @PreAuthorize("isAuthenticated()")
    Page records(@PathVariable String leaderboardId, @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) String cursor,
            @Parameter(description = "any instant in the period to read (default: now)") @RequestParam(required = false) Instant period,
            @RequestParam(required = false) UUID friendsOf) {
        if (friendsOf != null && !access.isPlayer(friendsOf)) {
            throw new AccessDeniedException("A friends-only board is for the player themselves");
        }
        return leaderboards.page(leaderboardId, period, cursor, limit, friendsOf);
    }

    @Operation(summary = "The player's record with its neighbours in rank order, about half on each side")
    @ApiResponse(responseCode = "404", description = "not-found: no such board, or no record of this player in the period")
    @GetMapping("/api/v1/leaderboards/{leaderboardId}/records/around/{playerId}")
    @PreAuthorize("isAuthenticated()")
    Page around(@PathVariable String leaderboardId, @PathVariable UUID playerId,
            @RequestParam(defaultValue = "11") @Min(1) @Max(101) int limit,
            @Parameter(description = "any instant in the period to read (default: now)") @RequestParam(required = false) Instant period) {
        return leaderboards.around(leaderboardId, playerId, period, limit);
    }
}
