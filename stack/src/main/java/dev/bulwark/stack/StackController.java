package dev.bulwark.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the Bulwark stack on this machine as real processes: PostgreSQL, a Kafka broker and the three services, and
 * gives control over each of them (stop, start, kill, pause, ...) for system tests and for {@code ./bulwark}.
 *
 * <p>Not started on construction: call {@link #start()} or {@link #startInfrastructure()}. Always {@link #close()}
 * it, also when a start fails, or child processes outlive the caller.
 */
public final class StackController implements AutoCloseable {

    public static final String DB_USER = Postgres.USER;
    public static final String DB_PASSWORD = Postgres.PASSWORD;
    /** The economy's shards: shard0 is the economy's database on the stack's PostgreSQL, shard1 a server of its own. */
    public static final String ECONOMY_SHARD_0 = "shard0";
    public static final String ECONOMY_SHARD_1 = "shard1";
    /** Social's second shard: a database of its own on the stack's PostgreSQL server (shard0 is social's). */
    public static final String SOCIAL_SHARD_1_DATABASE = "social_shard1";

    private static final Duration KAFKA_START_TIMEOUT = Duration.ofSeconds(90);

    private final Path stateDirectory;
    private final Postgres postgres;
    /** The economy's shard 1, a PostgreSQL server of its own (shard 0 is the economy's database on {@link #postgres}). */
    private final Postgres economyShard1;
    private final KafkaBroker kafka;
    private final Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
    private final Duration healthTimeout;
    private final boolean console;
    private final Consumer<String> progress;
    private final Map<String, String> extraEnvironment;
    private final FaultLinks faultLinks;
    private volatile boolean closed;

    private StackController(Builder builder) throws IOException {
        // The broker and the services run on this same JDK (java.home), so this one check covers them all.
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("The Bulwark stack needs a JDK 21 or newer; this is " + Runtime.version()
                    + " from " + System.getProperty("java.home"));
        }
        Path repoRoot = builder.repoRoot != null ? builder.repoRoot : findRepoRoot();
        this.stateDirectory = (builder.stateDirectory != null ? builder.stateDirectory : repoRoot.resolve(".bulwark"))
                .toAbsolutePath();
        this.healthTimeout = builder.healthTimeout;
        this.console = builder.console;
        this.progress = builder.progress;
        this.extraEnvironment = builder.serviceEnvironment;
        if (builder.wipe) {
            deleteRecursively(stateDirectory.resolve("postgres"));
            deleteRecursively(stateDirectory.resolve("postgres-shard1"));
            deleteRecursively(stateDirectory.resolve("kafka"));
        }
        Path logs = stateDirectory.resolve("logs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.faultLinks = builder.faultLinks
                ? new FaultLinks(builder.faultLinkBasePort, builder.postgresPort, builder.economyShard1Port)
                : null;

        this.postgres = new Postgres("postgres", stateDirectory.resolve("postgres"), builder.postgresPort,
                Stream.concat(Service.backends().stream().map(Service::database), Stream.of(SOCIAL_SHARD_1_DATABASE)).toList(),
                logs.resolve("postgres.log"));
        this.economyShard1 = new Postgres(ECONOMY_SHARD_1, stateDirectory.resolve("postgres-shard1"), builder.economyShard1Port,
                List.of(Service.GAME_ECONOMY.database()), logs.resolve("postgres-shard1.log"));
        // -Xmx: three services, a broker and PostgreSQL share the machine. C1 only where start-up is
        // the point (tests); benchmarks and a stack people use run the full JIT, as production does.
        List<String> jvmOptions = builder.c1Only ? List.of("-Xmx512m", "-XX:TieredStopAtLevel=1") : List.of("-Xmx512m");
        this.kafka = new KafkaBroker(stateDirectory.resolve("kafka"), builder.kafkaPort, builder.kafkaControllerPort,
                kafkaClasspath(repoRoot), java, jvmOptions, logs.resolve("kafka.log"),
                faultLinks != null ? faultLinks.kafkaListeners() : List.of());

        JwtKeys keys = new JwtKeys(stateDirectory.resolve("keys"));
        keys.createIfAbsent();
        for (Service service : Service.values()) {
            services.put(service, new ServiceProcess(service, repoRoot, environment(service, keys), java, jvmOptions,
                    logs.resolve(service.id() + ".log")));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts PostgreSQL, Kafka and all services, and returns once every service reports ready. */
    public void start() throws IOException, SQLException, InterruptedException {
        startInfrastructure();
        List<Service> starting = console ? List.of(Service.values()) : Service.backends();
        for (Service service : starting) {
            ensureOpen();
            services.get(service).launch();
        }
        // Launched together, awaited in order: the services do not need each other to start.
        for (Service service : starting) {
            awaitHealthy(service, healthTimeout);
        }
    }

    /** Starts PostgreSQL and Kafka only. */
    public void startInfrastructure() throws IOException, SQLException, InterruptedException {
        ensureOpen();
        if (faultLinks != null) {
            faultLinks.start();
            progress.accept("fault links ready: " + faultLinks);
        }
        long kafkaStart = System.nanoTime();
        // The broker JVM takes several seconds to come up; PostgreSQL starts meanwhile.
        kafka.launch();
        startPostgres();
        kafka.awaitReady(KAFKA_START_TIMEOUT);
        progress.accept("kafka ready on " + kafka.port() + " (data: " + kafka.logDirectory() + ") in "
                + secondsSince(kafkaStart));
    }

    public void startPostgres() throws IOException, SQLException {
        ensureOpen();
        long start = System.nanoTime();
        postgres.start();
        progress.accept("postgres ready on " + postgres.port() + " (data: " + postgres.dataDirectory() + ") in "
                + secondsSince(start));
        startEconomyShard1();
    }

    private void startEconomyShard1() throws IOException, SQLException {
        ensureOpen();
        long start = System.nanoTime();
        economyShard1.start();
        progress.accept("economy shard1 postgres ready on " + economyShard1.port() + " (data: "
                + economyShard1.dataDirectory() + ") in " + secondsSince(start));
    }

    /**
     * Starts one economy shard's server: {@code shard0} is the stack's PostgreSQL (every service's
     * database), {@code shard1} the economy's second server.
     */
    public void startShard(String shard) throws IOException, SQLException {
        switch (shard) {
            case ECONOMY_SHARD_0 -> {
                ensureOpen();
                postgres.start();
            }
            case ECONOMY_SHARD_1 -> startEconomyShard1();
            default -> throw unknownShard(shard);
        }
    }

    /** Fast shutdown of one economy shard's server (shard0 is the stack's PostgreSQL, for every service). */
    public void stopShard(String shard) throws IOException {
        switch (shard) {
            case ECONOMY_SHARD_0 -> postgres.stop();
            case ECONOMY_SHARD_1 -> economyShard1.stop();
            default -> throw unknownShard(shard);
        }
    }

    private static IllegalArgumentException unknownShard(String shard) {
        return new IllegalArgumentException("Unknown economy shard '" + shard + "'; the shards are "
                + ECONOMY_SHARD_0 + ", " + ECONOMY_SHARD_1);
    }

    /** Fast shutdown: open transactions roll back, committed data stays. */
    public void stopPostgres() throws IOException {
        postgres.stop();
    }

    public void startKafka() throws IOException, InterruptedException {
        ensureOpen();
        long start = System.nanoTime();
        kafka.launch();
        kafka.awaitReady(KAFKA_START_TIMEOUT);
        progress.accept("kafka ready on " + kafka.port() + " in " + secondsSince(start));
    }

    /** Controlled shutdown (SIGTERM, SIGKILL after 30 s); the topic data stays. */
    public void stopKafka() {
        kafka.stop();
    }

    /** Starts the service and waits until it reports ready. */
    public void startService(Service service) throws IOException, InterruptedException {
        startService(service, Map.of());
    }

    /**
     * Starts the service with {@code extra} added to its environment for this start only (e.g. a crash drill's
     * {@code BULWARK_CRASH_POINT}); the next {@link #startService(Service)} runs without it. No-op if it is running.
     */
    public void startService(Service service, Map<String, String> extra) throws IOException, InterruptedException {
        ensureOpen();
        services.get(service).launch(extra);
        awaitHealthy(service, healthTimeout);
    }

    /** SIGTERM and a graceful shutdown; SIGKILL if it takes longer than Spring's 30 s grace period. */
    public void stopService(Service service) {
        services.get(service).stop();
    }

    /** SIGKILL, as in a crash. */
    public void killService(Service service) {
        services.get(service).kill();
    }

    /** SIGSTOP: the process holds its sockets and connections but answers nothing, like a hung JVM. */
    public void pauseService(Service service) {
        services.get(service).pause();
    }

    public void resumeService(Service service) {
        services.get(service).resume();
    }

    public boolean isAlive(Service service) {
        return services.get(service).isAlive();
    }

    public OptionalLong pid(Service service) {
        return services.get(service).pid();
    }

    /** Polls {@code /actuator/health/readiness} until it answers 200; fails early if the process dies. */
    public void awaitHealthy(Service service, Duration timeout) throws InterruptedException {
        ServiceProcess process = services.get(service);
        process.awaitHealthy(timeout);
        progress.accept(service.id() + " healthy on " + service.port() + " (pid " + process.pid().orElse(-1)
                + ") in " + seconds(process.sinceLaunch()));
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /** Social's shard databases, shard0 first: a guild's rows are on exactly one of them. */
    public List<String> socialShardJdbcUrls() {
        return List.of(postgres.jdbcUrl(Service.SOCIAL.database()), postgres.jdbcUrl(SOCIAL_SHARD_1_DATABASE));
    }

    /** The economy's shard databases, shard0 first: a player's economy rows are on exactly one of them. */
    public List<String> economyShardJdbcUrls() {
        String database = Service.GAME_ECONOMY.database();
        return List.of(postgres.jdbcUrl(database), economyShard1.jdbcUrl(database));
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Path stateDirectory() {
        return stateDirectory;
    }

    /** Whether the services reach PostgreSQL, Kafka and each other through {@link #links()}. */
    public boolean hasFaultLinks() {
        return faultLinks != null;
    }

    /**
     * The proxies on the fault links, in port order (empty without fault links, or before the infrastructure
     * starts): {@code player-core-postgres}, {@code economy-postgres}, {@code social-postgres},
     * {@code player-core-kafka}, {@code economy-kafka}, {@code social-kafka}, {@code player-core-economy},
     * {@code player-core-social}, {@code economy-shard1}.
     */
    public List<FaultProxy> links() {
        return faultLinks == null ? List.of() : List.copyOf(faultLinks.all());
    }

    /** One link's proxy, to hurt and heal it: {@code stack.link("economy-postgres").cut()}. */
    public FaultProxy link(String name) {
        if (faultLinks == null) {
            throw new IllegalStateException("This stack runs without fault links; start it with --fault-links");
        }
        return faultLinks.get(name);
    }

    /** Heals every link: tests that hurt one call this when they finish, so the shared stack stays healthy. */
    public void healAllLinks() throws IOException {
        if (faultLinks != null) {
            faultLinks.healAll();
        }
    }

    public List<ComponentStatus> status() {
        List<ComponentStatus> status = new ArrayList<>();
        status.add(postgres.status());
        status.add(economyShard1.status());
        status.add(kafka.status());
        services.values().forEach(service -> status.add(service.status()));
        return status;
    }

    /** Stops everything in reverse start order: services first (side by side), then Kafka, then PostgreSQL. */
    @Override
    public void close() {
        closed = true;
        if (faultLinks != null) {
            // Healed first: a service stuck on a held link would otherwise use up its whole shutdown grace.
            try {
                faultLinks.healAll();
            } catch (IOException e) {
                progress.accept("could not heal the fault links before stopping: " + e.getMessage());
            }
        }
        services.values().forEach(ServiceProcess::terminate);
        services.values().forEach(ServiceProcess::awaitEnd);
        if (faultLinks != null) {
            faultLinks.close();
        }
        kafka.stop();
        try {
            economyShard1.stop();
            postgres.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL", e);
        }
    }

    /** Keeps a Ctrl-C during start-up from launching processes after {@link #close()} has stopped the others. */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The stack has been closed");
        }
    }

    private Map<String, String> environment(Service service, JwtKeys keys) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SERVER_PORT", Integer.toString(service.port()));
        if (service == Service.CONSOLE) {
            // The console calls the services directly, also with fault links: they hurt the services' own links.
            environment.put("BULWARK_PLAYER_CORE_URL", Service.PLAYER_CORE.baseUrl().toString());
            environment.put("BULWARK_ECONOMY_URL", Service.GAME_ECONOMY.baseUrl().toString());
            environment.put("BULWARK_SOCIAL_URL", Service.SOCIAL.baseUrl().toString());
            environment.putAll(extraEnvironment);
            return Map.copyOf(environment);
        }
        environment.put("BULWARK_DB_URL", postgres.jdbcUrl(service.database()));
        environment.put("BULWARK_DB_USER", Postgres.USER);
        environment.put("BULWARK_DB_PASSWORD", Postgres.PASSWORD);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("BULWARK_JWT_ISSUER", Service.PLAYER_CORE.baseUrl().toString());
        environment.put("BULWARK_JWT_PUBLIC_KEY_LOCATION", keys.publicKeyLocation());
        // A development stack: every client, test and benchmark calls from this machine's one
        // address and trades between players it just registered, so the per-address limits and
        // the new-account trade restriction (on by default, in production) are relaxed here.
        environment.put("BULWARK_REGISTRATIONS_PER_ADDRESS", "1000000");
        environment.put("BULWARK_SIGN_INS_PER_ADDRESS", "1000000");
        environment.put("BULWARK_ANONYMOUS_READS_PER_ADDRESS", "1000000");
        environment.put("BULWARK_TRADE_MIN_ACCOUNT_AGE", "0s");
        environment.put("BULWARK_TRADE_MIN_LEVEL", "1");
        if (service == Service.GAME_ECONOMY) {
            // Two shards in every local stack, so every stack exercises the cross-shard paths.
            environment.put("BULWARK_ECONOMY_SHARDS_0_ID", ECONOMY_SHARD_0);
            environment.put("BULWARK_ECONOMY_SHARDS_1_ID", ECONOMY_SHARD_1);
            environment.put("BULWARK_ECONOMY_SHARDS_1_JDBC_URL", economyShard1.jdbcUrl(service.database()));
            environment.put("BULWARK_ECONOMY_SHARDS_1_USERNAME", Postgres.USER);
            environment.put("BULWARK_ECONOMY_SHARDS_1_PASSWORD", Postgres.PASSWORD);
            environment.put("BULWARK_ECONOMY_RING_VERSION", "2");
        }
        if (service == Service.PLAYER_CORE) {
            // Only the issuer may sign tokens.
            environment.put("BULWARK_JWT_PRIVATE_KEY_LOCATION", keys.privateKeyLocation());
            // The development stack's first console operator (docs/console.md); production sets its own or none.
            environment.put("BULWARK_OPERATOR_BOOTSTRAP_USERNAME", DevClient.CONSOLE_OPERATOR);
            environment.put("BULWARK_OPERATOR_BOOTSTRAP_PASSWORD", DevClient.CONSOLE_PASSWORD);
        }
        if (faultLinks != null) {
            environment.putAll(faultLinks.environment(service));
        }
        if (service == Service.SOCIAL) {
            // Two social shards in every local stack, on social's server (and its fault link, when there is one).
            String shard0 = environment.get("BULWARK_DB_URL");
            environment.put("BULWARK_SOCIAL_SHARDS_0_ID", "shard0");
            environment.put("BULWARK_SOCIAL_SHARDS_1_ID", "shard1");
            environment.put("BULWARK_SOCIAL_SHARDS_1_JDBC_URL",
                    shard0.substring(0, shard0.lastIndexOf('/') + 1) + SOCIAL_SHARD_1_DATABASE);
            environment.put("BULWARK_SOCIAL_SHARDS_1_USERNAME", Postgres.USER);
            environment.put("BULWARK_SOCIAL_SHARDS_1_PASSWORD", Postgres.PASSWORD);
        }
        environment.putAll(extraEnvironment);
        return Map.copyOf(environment);
    }

    /** The broker runs from the jars the build copies to stack/target/lib (see stack/pom.xml). */
    private static String kafkaClasspath(Path repoRoot) throws IOException {
        Path lib = repoRoot.resolve("stack").resolve("target").resolve("lib");
        boolean hasKafka;
        try (Stream<Path> jars = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            hasKafka = jars.anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13-"));
        }
        if (!hasKafka) {
            throw new IllegalStateException("No Kafka broker jars in " + lib + ". Build the stack module first: "
                    + "./mvnw -pl stack -DskipTests package");
        }
        return lib.toAbsolutePath() + "/*";
    }

    /** The nearest directory upwards that holds stack/pom.xml: works from the repo root and from any module. */
    private static Path findRepoRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("stack").resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the Bulwark repository (a directory with stack/pom.xml) above "
                + start + "; pass it with StackController.builder().repoRoot(..)");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String secondsSince(long startNanos) {
        return seconds(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    public static final class Builder {

        private Path repoRoot;
        private Path stateDirectory;
        private int postgresPort = 5432;
        private int economyShard1Port = 5433;
        private int kafkaPort = 9092;
        private int kafkaControllerPort = 9093;
        private boolean wipe;
        private boolean c1Only;
        private Duration healthTimeout = Duration.ofMinutes(3);
        private Consumer<String> progress = line -> { };
        private Map<String, String> serviceEnvironment = Map.of();
        private boolean faultLinks;
        private boolean console;
        private int faultLinkBasePort = FaultLinks.DEFAULT_BASE_PORT;

        private Builder() {
        }

        /**
         * Routes every service's links to PostgreSQL, to Kafka and (player-core's) to the other services through a
         * {@link FaultProxy}, healthy until told otherwise: see {@link #links()} and {@link #link(String)}.
         */
        public Builder faultLinks(boolean faultLinks) {
            this.faultLinks = faultLinks;
            return this;
        }

        /** The first of the fault links' ports (6400 by default); the 9 links' proxies take the ports from there, the broker's 3 listeners for the Kafka links base + 13 to 15. */
        public Builder faultLinkBasePort(int port) {
            this.faultLinkBasePort = port;
            return this;
        }

        /** Extra environment for every service process (e.g. shorter saga deadlines for drills). */
        public Builder serviceEnvironment(Map<String, String> environment) {
            this.serviceEnvironment = Map.copyOf(environment);
            return this;
        }

        /** Defaults to the nearest directory above the working directory that contains stack/pom.xml. */
        public Builder repoRoot(Path repoRoot) {
            this.repoRoot = repoRoot;
            return this;
        }

        /** Data, logs and keys; defaults to {@code .bulwark/} in the repository. */
        public Builder stateDirectory(Path stateDirectory) {
            this.stateDirectory = stateDirectory;
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /** The economy's shard1 server (5433 by default). */
        public Builder economyShard1Port(int port) {
            this.economyShard1Port = port;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        /** Deletes the PostgreSQL and Kafka data before the first start. */
        public Builder wipe(boolean wipe) {
            this.wipe = wipe;
            return this;
        }

        /** How long a service may take to report ready; the default allows for a busy two-core machine. */
        /**
         * Runs every JVM with C1 only ({@code -XX:TieredStopAtLevel=1}): faster start-up and less CPU
         * spent compiling, lower peak throughput. For tests that start stacks; never for benchmarks.
         */
        public Builder c1Only(boolean c1Only) {
            this.c1Only = c1Only;
            return this;
        }

        /**
         * Also start the operator console on {@link Service#CONSOLE}'s port with {@link #start()} (off by default:
         * tests that do not use it save a JVM; {@link #startService} starts it on demand either way).
         */
        public Builder console(boolean console) {
            this.console = console;
            return this;
        }

        public Builder healthTimeout(Duration healthTimeout) {
            this.healthTimeout = healthTimeout;
            return this;
        }

        /** Receives one line per component that became ready, with how long it took. */
        public Builder progress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        public StackController build() throws IOException {
            return new StackController(this);
        }
    }
}
