package dev.bulwark.economy.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the catalog cache when the catalog tables changed: their triggers (migration V6_2) call
 * {@code pg_notify('catalog_changed')}, which PostgreSQL delivers on commit to every listening
 * session, so every instance forgets its copy within milliseconds of any change, however it was
 * made (a migration, an operator's SQL). The listening connection is opened by the driver, not
 * taken from the pool, so it never costs a request a connection. While it is not listening
 * (start-up, a lost connection) {@link #listening()} is false and the catalog reads the
 * database on every call, so a change is never missed.
 */
@Component
class CatalogChanges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CatalogChanges.class);
    private static final int POLL_MILLIS = 1_000;

    private final DataSourceProperties database;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean running;
    private Thread thread;

    CatalogChanges(DataSourceProperties database) {
        this.database = database;
    }

    /** Changes whenever the catalog may have changed; a copy taken at another generation is stale. */
    long generation() {
        return generation.get();
    }

    boolean listening() {
        return listening;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("catalog-changes").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(database.determineUrl(),
                    database.determineUsername(), database.determinePassword())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN catalog_changed");
                }
                generation.incrementAndGet();
                listening = true;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    var notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        generation.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Not listening for catalog changes, reading the catalog on every call: {}", e.toString());
                }
            } finally {
                listening = false;
                generation.incrementAndGet();
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
