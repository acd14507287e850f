package dev.bulwark.system;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import dev.bulwark.testsupport.checker.Attempt;
import dev.bulwark.testsupport.checker.Operation;
import dev.bulwark.testsupport.checker.Outcome;

/** How the storms' clients send: an operation's request again, with its Idempotency-Key, until the answer is definite. */
final class DefiniteAnswers {

    /** Called before every attempt: a storm that is paused waits there. */
    @FunctionalInterface
    interface BeforeAttempt {
        void await() throws InterruptedException;
    }

    private DefiniteAnswers() {
    }

    /**
     * Sends {@code request} until it is acknowledged (recorded with the id in the body's
     * {@code idField}) or refused (4xx other than 429), recording every attempt in
     * {@code operation}; a timeout, a broken connection, a 5xx or a 429 is retried 200-500 ms later,
     * until {@code giveUp} has passed.
     */
    static void send(HttpClient http, HttpRequest request, Operation operation, String idField, Duration giveUp,
            BeforeAttempt beforeAttempt) throws Exception {
        Instant end = Instant.now().plus(giveUp);
        while (Instant.now().isBefore(end)) {
            beforeAttempt.await();
            Instant start = Instant.now();
            Attempt attempt;
            HttpResponse<String> response = null;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                attempt = Attempt.of(start, response);
            } catch (IOException noAnswer) {
                attempt = Attempt.failed(start, noAnswer);
            }
            if (attempt.outcome() == Outcome.ACKNOWLEDGED) {
                operation.acknowledged(attempt, SystemStack.JSON.readTree(response.body()).get(idField).asString());
                return;
            }
            operation.record(attempt);
            if (attempt.outcome() == Outcome.REFUSED && response.statusCode() != 429) {
                return;
            }
            Thread.sleep(200 + ThreadLocalRandom.current().nextInt(300));
        }
    }
}
