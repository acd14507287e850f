package dev.bulwark.economy.sharding;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.platform.web.ApiException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One economy shard as a unit of work: its database (a pool of its own), its transaction
 * manager, its outbox (relayed by a relay of its own) and inbox, and a circuit breaker. Code
 * that writes a player's rows binds the player's shard first ({@link #inTransaction}) and
 * everything inside — the ledger, the outbox row, the idempotency record — joins that shard's
 * transaction through {@link #sql}; nothing is routed by a thread-local DataSource.
 *
 * <p>A shard whose server is down fails fast: once its breaker is open, calls are refused
 * without waiting for a connection, as 503 {@code shard-unavailable} with {@code Retry-After};
 * the other shards' players are served as before.
 */
public final class Shard {

    private final String id;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final TransactionTemplate ownWrites;
    private final TransactionTemplate snapshots;
    private final Outbox outbox;
    private final Inbox inbox;
    private final CircuitBreaker breaker;
    private final Runnable wakeRelay;

    Shard(String id, DataSource dataSource, PlatformTransactionManager transactions, Outbox outbox, Inbox inbox,
            CircuitBreaker breaker, Runnable wakeRelay) {
        this.id = id;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.writes = new TransactionTemplate(transactions);
        this.reads = new TransactionTemplate(transactions);
        this.reads.setReadOnly(true);
        this.ownWrites = new TransactionTemplate(transactions);
        this.ownWrites.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshots = new TransactionTemplate(transactions);
        this.snapshots.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshots.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.outbox = outbox;
        this.inbox = inbox;
        this.breaker = breaker;
        this.wakeRelay = wakeRelay;
    }

    public String id() {
        return id;
    }

    DataSource dataSource() {
        return dataSource;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** A statement on this shard, in its transaction if one is bound here. */
    public JdbcClient.StatementSpec sql(String sql) {
        return jdbc.sql(sql);
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    /** Publishes in this shard's transaction; its relay sends it. */
    public Outbox outbox() {
        return outbox;
    }

    /** De-duplicates consumed messages in this shard's transaction (call inside {@link #inTransaction}). */
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

    /** Runs {@code work} in a transaction of its own on this shard, even inside another one here. */
    public <T> T inNewTransaction(Supplier<T> work) {
        return guarded(() -> ownWrites.execute(status -> work.get()));
    }

    /**
     * A transaction of its own that sees one snapshot of the shard (REPEATABLE READ), for checks
     * that read a lot while writers go on.
     */
    public <T> T inSnapshot(Supplier<T> work) {
        return guarded(() -> snapshots.execute(status -> work.get()));
    }

    /** A read-only transaction for reads that must agree with each other (joins a bound one). */
    public <T> T readOnly(Supplier<T> work) {
        return guarded(() -> reads.execute(status -> work.get()));
    }

    /** A single statement's read, behind the breaker. */
    public <T> T read(Supplier<T> work) {
        return guarded(work);
    }

    /** Whether a transaction of this shard is bound to the calling thread. */
    public boolean inTransactionNow() {
        return TransactionSynchronizationManager.hasResource(dataSource);
    }

    /** For code that must only run inside the shard's transaction (a ledger lock, an append). */
    public void requireTransaction() {
        if (!inTransactionNow()) {
            throw new IllegalStateException("No transaction of shard " + id + " is bound: open one with inTransaction");
        }
    }

    /** Tells the relay that rows committed by a transaction it did not see end (a two-phase commit). */
    void wakeRelay() {
        wakeRelay.run();
    }

    private <T> T guarded(Supplier<T> call) {
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

    ApiException unavailable() {
        long retryAfter = Math.max(1, retryAfter().toSeconds());
        return ApiException.unavailable("shard-unavailable",
                "The economy shard holding this player is unavailable; try again later")
                .withHeader("Retry-After", Long.toString(retryAfter));
    }

    private Duration retryAfter() {
        return breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) == null
                ? Duration.ofSeconds(5)
                : Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
    }

    /** A failure of the shard's server or of the way to it, not of the request: what the breaker counts. */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // A commit or rollback that itself failed (TransactionSystemException) failed on the
            // connection: a link cut mid-transaction breaks the statement, then the rollback finds
            // the pool's connection closed ("Connection is closed", no SQL state to translate).
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException || t instanceof SQLTransientConnectionException
                    || t instanceof TransactionSystemException) {
                return true;
            }
            if (t instanceof java.sql.SQLException e && e.getSQLState() != null
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
