package dev.bulwark.platform.shard;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.web.ApiException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One shard as a unit of work: its database, its transaction manager, its outbox (relayed by a
 * relay of its own) and inbox, and a circuit breaker. Code binds the shard first
 * ({@link #inTransaction}) and every statement inside joins that shard's transaction through
 * {@link #jdbc}; nothing is routed by a thread-local DataSource.
 *
 * <p>A shard whose server is down fails fast: once its breaker is open, calls are refused without
 * waiting for a connection, as 503 {@code shard-unavailable} with {@code Retry-After}; the other
 * shards are served as before.
 */
public final class ShardUnit {

    private final String id;
    private final String what;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final Outbox outbox;
    private final Inbox inbox;
    private final CircuitBreaker breaker;
    private final Runnable wakeRelay;

    /** @param what what the shard holds, for the refusal's detail ("the social shard of this guild") */
    public ShardUnit(String id, String what, DataSource dataSource, PlatformTransactionManager transactions,
            Outbox outbox, Inbox inbox, CircuitBreaker breaker, Runnable wakeRelay) {
        this.id = id;
        this.what = what;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.writes = new TransactionTemplate(transactions);
        this.reads = new TransactionTemplate(transactions);
        this.reads.setReadOnly(true);
        this.outbox = outbox;
        this.inbox = inbox;
        this.breaker = breaker;
        this.wakeRelay = wakeRelay;
    }

    public String id() {
        return id;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Statements on this shard, in its transaction if one is bound here. */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** Publishes in this shard's transaction; its relay sends it. */
    public Outbox outbox() {
        return outbox;
    }

    /** De-duplicates consumed messages in this shard's transaction. */
    public Inbox inbox() {
        return inbox;
    }

    /** Runs {@code work} in a transaction of this shard (joining one already bound here), behind its breaker. */
    public <T> T inTransaction(Supplier<T> work) {
        return guarded(() -> writes.execute(status -> work.get()));
    }

    public void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    /** A read-only transaction for reads that must agree with each other (joins a bound one). */
    public <T> T readOnly(Supplier<T> work) {
        return guarded(() -> reads.execute(status -> work.get()));
    }

    /** Whether the breaker refuses calls now (the shard was failing). */
    public boolean open() {
        return breaker.getState() == CircuitBreaker.State.OPEN;
    }

    /** Tells the relay that rows committed by a transaction it did not see end (a two-phase commit). */
    public void wakeRelay() {
        wakeRelay.run();
    }

    /** Runs {@code call} behind the breaker: an unreachable shard is 503 {@code shard-unavailable}. */
    public <T> T guarded(Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (RuntimeException e) {
            if (unreachable(e)) {
                throw unavailable();
            }
            throw e;
        }
    }

    public ApiException unavailable() {
        Long waitMillis = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        Duration wait = waitMillis == null ? Duration.ofSeconds(5) : Duration.ofMillis(waitMillis);
        return ApiException.unavailable("shard-unavailable", "The " + what + " is unavailable; try again later")
                .withHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
    }

    /** A failure of the shard's server or of the way to it, not of the request: what the breaker counts. */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // A rollback that failed on a broken connection hides the failure that broke it.
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && unreachable(rollback.getApplicationException())) {
                return true;
            }
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().equals("57P01"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Shard[" + id + "]";
    }
}
