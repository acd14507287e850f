package dev.bulwark.player.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.platform.web.Problems;
import dev.bulwark.player.account.SignInRefusal;
import dev.bulwark.player.account.TokenRefusal;

/**
 * The one place where player-core's domain refusals become HTTP: the rules say why they refuse,
 * this says with which status, as RFC 9457 problems with the refusal's stable type. The switches
 * are exhaustive, so a new reason does not compile until it has a status. Ordered before the
 * platform's catch-all mapping, which would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefusalProblems {

    @ExceptionHandler(SignInRefusal.class)
    ResponseEntity<ProblemDetail> signIn(SignInRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case BAD_CREDENTIALS, BAD_CLIENT_CREDENTIALS -> HttpStatus.UNAUTHORIZED;
            // The credentials were right: the account may not sign in.
            case BANNED -> HttpStatus.FORBIDDEN;
            case TOO_MANY_LOGIN_ATTEMPTS -> HttpStatus.TOO_MANY_REQUESTS;
        };
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        refusal.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
        return response.body(problem(status, refusal));
    }

    /** Every refused refresh token is 401, a banned player's too: the token no longer authenticates anyone. */
    @ExceptionHandler(TokenRefusal.class)
    ResponseEntity<ProblemDetail> token(TokenRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case INVALID_REFRESH_TOKEN, REVOKED_REFRESH_TOKEN, REUSED_REFRESH_TOKEN, EXPIRED_REFRESH_TOKEN, BANNED ->
                    HttpStatus.UNAUTHORIZED;
        };
        return ResponseEntity.status(status).body(problem(status, refusal));
    }

    private static ProblemDetail problem(HttpStatus status, Refusal refusal) {
        return Problems.of(status, refusal.type(), refusal.getMessage());
    }
}
