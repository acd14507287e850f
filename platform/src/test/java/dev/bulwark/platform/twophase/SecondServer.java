package dev.bulwark.platform.twophase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A second PostgreSQL server for the tests (zonky, once per JVM), standing in for another shard
 * server: a deadlock across two servers is invisible to either's deadlock detector, and "one
 * shard's server is down" is a real stop and start of its postmaster, keeping its data directory
 * (and prepared transactions) between the two.
 */
final class SecondServer {

    private static SecondServer instance;

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private SecondServer() throws IOException {
        dataDirectory = Files.createTempDirectory("twophase-second-server");
        postgres = builder().start();
        port = postgres.getPort();
    }

    static synchronized SecondServer get() {
        if (instance == null) {
            try {
                instance = new SecondServer();
            } catch (IOException e) {
                throw new UncheckedIOException("The second embedded PostgreSQL did not start", e);
            }
        }
        return instance;
    }

    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("max_prepared_transactions", "32")
                .setServerConfig("max_connections", "100");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    synchronized void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void start() {
        try {
            postgres = builder().setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
