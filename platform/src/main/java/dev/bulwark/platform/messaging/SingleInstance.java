package dev.bulwark.platform.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a cluster-wide job on at most one instance at a time, under a PostgreSQL
 * transaction-scoped advisory lock: adding replicas never runs the job twice, and a crashed
 * holder's lock goes with its connection.
 */
public class SingleInstance {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public SingleInstance(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Runs {@code job} if no other instance is running the job of that name; says whether it ran. */
    public boolean runIfFree(String jobName, Runnable job) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:name, 0))")
                    .param("name", jobName).query(Boolean.class).single();
            if (locked) {
                job.run();
            }
            return locked;
        }));
    }
}
