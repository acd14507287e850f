package dev.bulwark.economy.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.bulwark.economy.idempotency.IdempotencyRefusal;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.purchase.PurchaseRefusal;
import dev.bulwark.economy.transfer.TransferRefusal;
import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.platform.web.Problems;

/**
 * The one place where the economy's domain refusals become HTTP: the rules say why they refuse,
 * this says with which status, as RFC 9457 problems with the refusal's stable type. The switches
 * are exhaustive, so a new refusal does not compile until it has a status. Ordered before the
 * platform's catch-all mapping, which would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefusalProblems {

    @ExceptionHandler(MovementRefusal.class)
    ResponseEntity<ProblemDetail> movement(MovementRefusal refusal) {
        return problem(status(refusal.reason()), refusal);
    }

    @ExceptionHandler(PurchaseRefusal.class)
    ResponseEntity<ProblemDetail> purchase(PurchaseRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case INVALID_REQUEST, MISSING_PARAMETER -> HttpStatus.BAD_REQUEST;
            case UNKNOWN_OFFER, INVALID_QUANTITY -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(TransferRefusal.class)
    ResponseEntity<ProblemDetail> transfer(TransferRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case SELF_TRANSFER, UNTRADABLE, NEW_ACCOUNT_RESTRICTED -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return problem(status, refusal);
    }

    @ExceptionHandler(IdempotencyRefusal.class)
    ResponseEntity<ProblemDetail> idempotency(IdempotencyRefusal refusal) {
        HttpStatus status = switch (refusal.reason()) {
            case INVALID_IDEMPOTENCY_KEY -> HttpStatus.BAD_REQUEST;
            case IDEMPOTENCY_KEY_REUSED -> HttpStatus.CONFLICT;
        };
        return problem(status, refusal);
    }

    static HttpStatus status(MovementRefusal.Reason reason) {
        return switch (reason) {
            case INVALID_AMOUNT, EMPTY_CHANGE -> HttpStatus.BAD_REQUEST;
            case UNKNOWN_ITEM, AMOUNT_TOO_LARGE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case INSUFFICIENT_FUNDS, BALANCE_OVERFLOW, MAX_STACK_EXCEEDED, ITEMS_NOT_HELD, HOLD_CONFLICT -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, Refusal refusal) {
        return ResponseEntity.status(status).body(Problems.of(status, refusal.type(), refusal.getMessage()));
    }
}
