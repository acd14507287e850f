package dev.bulwark.economy.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures count against a shard (its breaker, 503 shard-unavailable) and which are the request's own. */
class ShardFailureTests {

    @Test
    void aRollbackThatFindsItsConnectionClosedIsTheShardsFailure() {
        // What a link cut mid-transaction gave on the stack: the statement's I/O error, then
        // Hikari's closed connection on rollback, with no SQL state (it was a 500 before).
        assertThat(Shard.unreachable(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aConnectionStateIsTheShardsFailureAndAConstraintIsNot() {
        assertThat(Shard.unreachable(new RuntimeException(new SQLException("terminating", "57P01")))).isTrue();
        assertThat(Shard.unreachable(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key", "23505")))).isFalse();
    }
}
