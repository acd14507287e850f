package dev.bulwark.social.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.platform.web.Problems;
import dev.bulwark.social.chat.ChatRefusal;
import dev.bulwark.social.friend.FriendRefusal;
import dev.bulwark.social.guild.GuildRefusal;
import dev.bulwark.social.leaderboard.LeaderboardRefusal;
import dev.bulwark.social.notification.NotificationRefusal;

/**
 * The one place where social's domain refusals become HTTP: the rules say why they refuse, this
 * says with which status, as RFC 9457 problems with the refusal's stable type. The switches are
 * exhaustive, so a new refusal does not compile until it has a status. Ordered before the
 * platform's catch-all mapping, which would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefusalProblems {

    @ExceptionHandler(FriendRefusal.class)
    ResponseEntity<ProblemDetail> friend(FriendRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case SELF_RELATION -> HttpStatus.UNPROCESSABLE_CONTENT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case BLOCKED, NO_INVITATION -> HttpStatus.CONFLICT;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(GuildRefusal.class)
    ResponseEntity<ProblemDetail> guild(GuildRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CANNOT_PROMOTE, CANNOT_DEMOTE, ALREADY_IN_A_GUILD, GUILD_FULL, CAP_BELOW_MEMBERS -> HttpStatus.CONFLICT;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(ChatRefusal.class)
    ResponseEntity<ProblemDetail> chat(ChatRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_A_MEMBER -> HttpStatus.FORBIDDEN;
            case INVALID_MESSAGE -> HttpStatus.BAD_REQUEST;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(LeaderboardRefusal.class)
    ResponseEntity<ProblemDetail> leaderboard(LeaderboardRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID_LEADERBOARD, INVALID_SCORE, INVALID_IDEMPOTENCY_KEY -> HttpStatus.BAD_REQUEST;
            case SCORE_OUT_OF_RANGE, LEADERBOARD_EXISTS, IDEMPOTENCY_KEY_REUSED -> HttpStatus.CONFLICT;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(NotificationRefusal.class)
    ResponseEntity<ProblemDetail> notification(NotificationRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
        };
        return problem(status, refusal);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, Refusal refusal) {
        return ResponseEntity.status(status).body(Problems.of(status, refusal.type(), refusal.getMessage()));
    }
}
