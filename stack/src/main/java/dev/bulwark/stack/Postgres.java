package dev.bulwark.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/** PostgreSQL from zonky's binaries, on a fixed port, with its data directory kept between starts. */
final class Postgres {

    static final String USER = "bulwark";
    static final String PASSWORD = "bulwark";

    private final String name;
    private final Path dataDirectory;
    private final int port;
    private final List<String> databases;
    private final Path logFile;
    private EmbeddedPostgres server;

    /** @param name the component's name in the stack's status ({@code postgres}, {@code shard1}) */
    Postgres(String name, Path dataDirectory, int port, List<String> databases, Path logFile) {
        this.name = name;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.databases = databases;
        this.logFile = logFile;
    }

    synchronized void start() throws IOException, SQLException {
        if (server != null) {
            return;
        }
        refuseOrphanedServer();
        Ports.requireFree(port, "PostgreSQL");
        Files.createDirectories(logFile.getParent());
        server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                // zonky's default is to delete the data directory on close, which would lose the data on every stop.
                .setCleanDataDirectory(false)
                // The stack shuts PostgreSQL down itself, after the services; zonky's own hook would race them.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_prepared_transactions", "64")
                // zonky turns this off for test speed; stop/kill drills must not lose acknowledged commits.
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        createUserAndDatabases();
    }

    synchronized void stop() throws IOException {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    synchronized ComponentStatus status() {
        OptionalLong pid = postmasterPid().stream().filter(Postgres::isAlive).findFirst();
        String state = server == null ? "stopped" : pid.isPresent() ? "running" : "crashed";
        return new ComponentStatus(name, state, port, pid);
    }

    /** pg_ctl detaches the server, so a launcher killed with SIGKILL leaves it running on our data directory. */
    private void refuseOrphanedServer() {
        postmasterPid().stream().filter(Postgres::isAlive).findFirst().ifPresent(pid -> {
            throw new IllegalStateException("A PostgreSQL from an earlier run (pid " + pid + ") still uses "
                    + dataDirectory + ". Stop it with: kill -INT " + pid);
        });
    }

    private OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void createUserAndDatabases() throws SQLException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            for (String database : databases) {
                if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + USER);
                }
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }
}
