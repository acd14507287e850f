package dev.bulwark.platform.twophase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.bulwark.platform.twophase.TwoPhaseCommit.Committed;
import dev.bulwark.platform.twophase.TwoPhaseCommit.Work;
import dev.bulwark.platform.twophase.TwoPhaseHooks.Point;
import dev.bulwark.testsupport.TestInfrastructure;

/**
 * Two shard databases holding accounts, a transfer between them as a global transaction, and a
 * coordinator database with the decision log. Shard "a" lives on the tests' shared server with
 * the coordinator database, shard "b" on a {@link SecondServer}. Accounts with odd ids live on
 * "a", even ids on "b"; every account starts with {@link #OPENING} coins.
 */
final class TwoShards {

    static final String COORDINATOR = "test";
    static final int ACCOUNTS_PER_SHARD = 8;
    static final long OPENING = 1_000;

    /** Thrown by a crash hook: an Error, so the coordinator's own failure handling does not run. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(Point point) {
            super("simulated crash at " + point.id(), null, false, false);
        }
    }

    private final TestInfrastructure infrastructure = TestInfrastructure.get();
    private final SecondServer second = SecondServer.get();
    private final String coordinatorUrl = infrastructure.database("twophase_coordinator");
    private final String aUrl = infrastructure.database("twophase_a");
    private final String bUrl;
    private HikariDataSource coordinator;
    private HikariDataSource a;
    private HikariDataSource b;

    private static TwoShards instance;

    /** Once per JVM: the databases, their tables and the pools are shared by the test classes. */
    static synchronized TwoShards get() {
        if (instance == null) {
            instance = new TwoShards();
        }
        return instance;
    }

    private TwoShards() {
        bUrl = second.jdbcUrl(createOnSecond("twophase_b"));
        openPools();
        Flyway.configure().dataSource(coordinator).locations("classpath:db/platform").load().migrate();
        for (JdbcClient shard : List.of(JdbcClient.create(a), JdbcClient.create(b))) {
            shard.sql("CREATE TABLE IF NOT EXISTS account (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))").update();
            shard.sql("CREATE TABLE IF NOT EXISTS transfer_leg (transfer_id uuid, account int, delta bigint, PRIMARY KEY (transfer_id, account))").update();
        }
    }

    private String createOnSecond(String database) {
        try (Connection c = DriverManager.getConnection(second.jdbcUrl("postgres"), "postgres", "postgres")) {
            if (!c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'").next()) {
                c.createStatement().execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return database;
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(12);
        pool.setMinimumIdle(0);
        // a server that is down is noticed within a second, not Hikari's default 30
        pool.setConnectionTimeout(1_000);
        pool.setValidationTimeout(500);
        pool.setInitializationFailTimeout(-1);
        return pool;
    }

    /** New pools, as a restarted process would open (after {@link #crashAt} closed the old ones). */
    void openPools() {
        coordinator = pool(coordinatorUrl, infrastructure.username(), infrastructure.password());
        a = pool(aUrl, infrastructure.username(), infrastructure.password());
        b = pool(bUrl, "postgres", "postgres");
    }

    /** Closes the pools, aborting connections in use: what the server sees when the process dies. */
    void closePools() {
        List.of(coordinator, a, b).forEach(HikariDataSource::close);
    }

    String coordinatorUrl() {
        return coordinatorUrl;
    }

    String user() {
        return infrastructure.username();
    }

    String password() {
        return infrastructure.password();
    }

    void stopSecondServer() {
        second.stop();
    }

    /** Starts shard b's server again and waits until its pool, backing off after the failures, hands out a connection. */
    void startSecondServer() {
        second.start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> JdbcClient.create(b).sql("SELECT 1").query(Integer.class).single() == 1);
    }

    /** Nothing prepared, no decisions, every account at {@link #OPENING}, no legs; open pools. */
    void reset() {
        if (coordinator.isClosed()) {
            openPools();
        }
        coordinator(TwoPhaseHooks.NONE).recovery(Duration.ZERO).recover();
        for (HikariDataSource shard : List.of(a, b)) {
            for (String gid : JdbcClient.create(shard).sql("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
                    .query(String.class).list()) {
                JdbcClient.create(shard).sql("ROLLBACK PREPARED '" + gid + "'").update();
            }
        }
        JdbcClient.create(coordinator).sql("DELETE FROM twophase_decision").update();
        seed(JdbcClient.create(a), 1);
        seed(JdbcClient.create(b), 0);
    }

    private static void seed(JdbcClient shard, int parity) {
        shard.sql("TRUNCATE account, transfer_leg").update();
        for (int i = 1; i <= 2 * ACCOUNTS_PER_SHARD; i++) {
            if (i % 2 == parity) {
                shard.sql("INSERT INTO account VALUES (:id, :balance)").param("id", i).param("balance", OPENING).update();
            }
        }
    }

    TwoPhaseCommit coordinator(TwoPhaseHooks hooks) {
        return coordinator(hooks, Duration.ofMillis(500));
    }

    TwoPhaseCommit coordinator(TwoPhaseHooks hooks, Duration lockTimeout) {
        return TwoPhaseCommit.builder(COORDINATOR, coordinator).participant("a", a).participant("b", b)
                .lockTimeout(lockTimeout).hooks(hooks).build();
    }

    /** A hook that, at {@code point}, kills the process's connections (the pools) and stops the protocol. */
    TwoPhaseHooks crashAt(Point point) {
        return (reached, transactionId) -> {
            if (reached == point) {
                closePools();
                throw new SimulatedCrash(point);
            }
        };
    }

    static String shardOf(int account) {
        return account % 2 == 1 ? "a" : "b";
    }

    /** Moves {@code amount} between accounts on different shards, locking in account-id order. */
    static Committed transfer(TwoPhaseCommit coordinator, UUID id, int from, int to, long amount) {
        return coordinator.execute(transferWorks(id, from, to, amount, true));
    }

    /** The two legs of a transfer, in account-id order (the lock order) or in from-to order. */
    static List<Work> transferWorks(UUID id, int from, int to, long amount, boolean lockOrder) {
        if (shardOf(from).equals(shardOf(to))) {
            throw new IllegalArgumentException("same shard");
        }
        record Leg(int account, long delta) {
        }
        List<Leg> legs = new ArrayList<>(List.of(new Leg(from, -amount), new Leg(to, amount)));
        if (lockOrder) {
            legs.sort(Comparator.comparingInt(Leg::account));
        }
        return legs.stream().map(leg -> new Work(shardOf(leg.account()), jdbc -> {
            jdbc.sql("UPDATE account SET balance = balance + :delta WHERE id = :id")
                    .param("delta", leg.delta()).param("id", leg.account()).update();
            jdbc.sql("INSERT INTO transfer_leg VALUES (:transfer, :account, :delta)")
                    .param("transfer", id).param("account", leg.account()).param("delta", leg.delta()).update();
        })).toList();
    }

    JdbcClient shard(String name) {
        return JdbcClient.create(name.equals("a") ? a : b);
    }

    JdbcClient decisions() {
        return JdbcClient.create(coordinator);
    }

    long balance(int account) {
        return shard(shardOf(account)).sql("SELECT balance FROM account WHERE id = :id").param("id", account)
                .query(Long.class).single();
    }

    long total() {
        return shard("a").sql("SELECT sum(balance) FROM account").query(Long.class).single()
                + shard("b").sql("SELECT sum(balance) FROM account").query(Long.class).single();
    }

    /** How many legs of the transfer each shard holds: [a, b]. */
    int[] legs(UUID transfer) {
        return new int[] {legCount("a", transfer), legCount("b", transfer)};
    }

    private int legCount(String shard, UUID transfer) {
        return shard(shard).sql("SELECT count(*) FROM transfer_leg WHERE transfer_id = :id").param("id", transfer)
                .query(Integer.class).single();
    }

    /** Prepared transactions on both shards' databases, whoever made them. */
    int prepared() {
        return preparedOn("a") + preparedOn("b");
    }

    int preparedOn(String shard) {
        return shard(shard).sql("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
                .query(Integer.class).single();
    }

    int decisionRows() {
        return decisions().sql("SELECT count(*) FROM twophase_decision").query(Integer.class).single();
    }
}
