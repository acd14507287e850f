package dev.bulwark.deployment;

import static dev.bulwark.deployment.Repository.list;
import static dev.bulwark.deployment.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docker-compose.yml cannot be run on a machine without a Docker engine, so its
 * cross-references are checked against the services' own configuration: a renamed environment
 * variable, a port or database that does not match, or a service missing from the file fails
 * the build here rather than on a user's machine.
 */
class DockerComposeTests {

    /** Names that configure the JVM or Spring itself rather than a placeholder of ours. */

    private final Map<String, Object> compose = Repository.yaml("docker-compose.yml");
    private final Map<String, Object> services = map(compose, "services");

    /** Compose service name → the Maven module it is built from. */
    private Map<String, String> applicationServices() {
        Map<String, String> built = new LinkedHashMap<>();
        services.forEach((name, definition) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> build = map((Map<String, Object>) definition, "build");
            Object module = map(build, "args").get("SERVICE");
            // The console has no database or broker: consoleIsBuiltFromTheDockerfileAndCallsTheServices checks it.
            if (module != null && !Repository.CONSOLE.equals(module)) {
                built.put(name, module.toString());
            }
        });
        return built;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    private Map<String, String> environment(String name) {
        return map(service(name), "environment").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @Test
    void everyServiceModuleIsInTheFileAndBuiltFromTheRepositoryDockerfile() {
        assertThat(applicationServices().values()).containsExactlyInAnyOrderElementsOf(Repository.serviceModules());
        assertThat(Repository.exists("Dockerfile")).isTrue();
        String dockerfile = Repository.read("Dockerfile");
        assertThat(dockerfile).contains("ARG SERVICE").contains("-pl ${SERVICE}");
        applicationServices().keySet().forEach(name -> assertThat(map(service(name), "build").get("context"))
                .as("build context of %s", name).isEqualTo("."));
    }

    @TestFactory
    List<DynamicTest> environmentNamesAreOnesTheServiceReads() {
        return applicationServices().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Set<String> read = Repository.placeholders(Repository.serviceConfiguration(e.getValue())).keySet();
            Set<String> unknown = new HashSet<>(environment(e.getKey()).keySet());
            unknown.removeAll(read);
            unknown.removeAll(Repository.PLATFORM_NAMES);
            unknown.removeIf(name -> Repository.bindsToADeclaredList(e.getValue(), name));
            assertThat(unknown).as("environment of %s that %s never reads", e.getKey(), e.getValue()).isEmpty();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> everyRequiredSettingWithoutADefaultIsProvided() {
        return applicationServices().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Set<String> missing = Repository.requiredSettings(e.getValue()).stream()
                    .filter(name -> !environment(e.getKey()).containsKey(name)).collect(Collectors.toSet());
            assertThat(missing).as("settings %s needs and the file does not give", e.getValue()).isEmpty();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> portsMatchTheServicesOwnPorts() {
        return applicationServices().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String configuration = Repository.serviceConfiguration(e.getValue());
            String documented = Repository.defaultOf(configuration, "SERVER_PORT").orElseThrow();
            assertThat(environment(e.getKey())).containsEntry("SERVER_PORT", documented);
            assertThat(list(service(e.getKey()), "ports")).map(String::valueOf)
                    .containsExactly(documented + ":" + documented);
        })).toList();
    }

    @TestFactory
    List<DynamicTest> databasesExistAndAreTheServicesOwn() {
        Set<String> created = new HashSet<>();
        Matcher m = Pattern.compile("CREATE DATABASE (\\w+)").matcher(Repository.read("deploy/compose/postgres/init.sql"));
        while (m.find()) {
            created.add(m.group(1));
        }
        return applicationServices().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String url = environment(e.getKey()).get("BULWARK_DB_URL");
            URI jdbc = URI.create(url.substring("jdbc:".length()));
            String database = jdbc.getPath().substring(1);
            String ownDefault = Repository.defaultOf(Repository.serviceConfiguration(e.getValue()), "BULWARK_DB_URL")
                    .orElseThrow();
            assertThat(jdbc.getHost()).as("database host of %s", e.getKey()).isIn(services.keySet());
            assertThat(created).as("databases created by init.sql").contains(database);
            assertThat(ownDefault).as("%s's own default database", e.getValue()).endsWith("/" + database);
            assertThat(environment("postgres").get("POSTGRES_USER")).isEqualTo(environment(e.getKey()).get("BULWARK_DB_USER"));
            assertThat(environment("postgres").get("POSTGRES_PASSWORD"))
                    .isEqualTo(environment(e.getKey()).get("BULWARK_DB_PASSWORD"));
        })).toList();
    }

    @Test
    void postgresAllowsPreparedTransactionsForTwoPhaseCommit() {
        List<String> command = list(service("postgres"), "command").stream().map(String::valueOf).toList();
        String setting = command.stream().filter(c -> c.startsWith("max_prepared_transactions=")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(setting.substring(setting.indexOf('=') + 1))).isPositive();
    }

    @TestFactory
    List<DynamicTest> kafkaIsReachedOnItsInternalListener() {
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        return applicationServices().keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String bootstrap = environment(name).get("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(bootstrap.substring(0, bootstrap.indexOf(':'))).isIn(services.keySet());
            assertThat(advertised).as("Kafka advertises what %s connects to", name).contains("//" + bootstrap);
        })).toList();
    }

    @Test
    void kafkaRunsInKraftMode() {
        assertThat(environment("kafka").get("KAFKA_PROCESS_ROLES")).contains("controller").contains("broker");
        assertThat(environment("kafka")).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
    }

    @Test
    void everyServiceTrustsTheSameIssuerAndItIsPlayerCore() {
        Set<String> issuers = applicationServices().keySet().stream()
                .map(name -> environment(name).get("BULWARK_JWT_ISSUER")).collect(Collectors.toSet());
        String playerCore = applicationServices().entrySet().stream()
                .filter(e -> e.getValue().equals("player-core-service")).findFirst().orElseThrow().getKey();
        assertThat(issuers).containsExactly("http://" + playerCore + ":" + environment(playerCore).get("SERVER_PORT"));
    }

    @TestFactory
    List<DynamicTest> keyFilesComeFromAMountedVolume() {
        return applicationServices().keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            List<String> mounts = list(service(name), "volumes").stream().map(String::valueOf).toList();
            environment(name).entrySet().stream().filter(e -> e.getKey().endsWith("_KEY_LOCATION")).forEach(e -> {
                String path = e.getValue().substring("file:".length());
                assertThat(mounts).as("%s mounts the directory of %s", name, path)
                        .anyMatch(mount -> path.startsWith(mount.split(":")[1] + "/"));
            });
        })).toList();
    }

    @Test
    void dependenciesNameServicesOfTheFileAndWaitForHealth() {
        services.keySet().forEach(name -> map(service(name), "depends_on").forEach((dependency, condition) -> {
            assertThat(services).as("%s depends on %s", name, dependency).containsKey(dependency);
            assertThat(String.valueOf(condition)).containsAnyOf("service_healthy", "service_completed_successfully");
        }));
        applicationServices().keySet().forEach(name -> assertThat(map(service(name), "depends_on"))
                .containsKeys("postgres", "kafka"));
    }

    @Test
    void healthChecksAskTheReadinessGroupTheServicesExpose() {
        String check = Repository.read("deploy/compose/readiness.sh");
        // The readiness group at its service-port path (probes.add-additional-paths): the management
        // port may be elsewhere.
        assertThat(check).contains("/readyz").contains("${SERVER_PORT}");
        String defaults = Repository.read("platform/src/main/resources/bulwark-platform-defaults.yaml");
        assertThat(defaults).contains("readiness:").contains("probes:").contains("add-additional-paths: true");
        applicationServices().keySet().forEach(name -> assertThat(String.valueOf(map(service(name), "healthcheck").get("test")))
                .contains("/readiness.sh"));
    }

    @Test
    void theConsoleIsBuiltFromTheDockerfileAndCallsTheServicesOnTheirPorts() {
        Map<String, Object> console = service(Repository.CONSOLE);
        assertThat(map(console, "build").get("context")).isEqualTo(".");
        assertThat(map(map(console, "build"), "args")).containsEntry("SERVICE", Repository.CONSOLE);
        String configuration = Repository.read("console/src/main/resources/application.yaml");
        Set<String> read = Repository.placeholders(configuration).keySet();
        assertThat(read).as("the console reads every name the file gives it")
                .containsAll(environment(Repository.CONSOLE).keySet());
        String port = Repository.defaultOf(configuration, "SERVER_PORT").orElseThrow();
        assertThat(environment(Repository.CONSOLE)).containsEntry("SERVER_PORT", port);
        assertThat(list(console, "ports")).map(String::valueOf).containsExactly(port + ":" + port);
        Map<String, String> modules = applicationServices();
        Map<String, String> urls = Map.of("BULWARK_PLAYER_CORE_URL", "player-core-service",
                "BULWARK_ECONOMY_URL", "game-economy-service", "BULWARK_SOCIAL_URL", "social-service");
        urls.forEach((name, module) -> {
            String service = modules.entrySet().stream().filter(e -> e.getValue().equals(module)).findFirst()
                    .orElseThrow().getKey();
            assertThat(environment(Repository.CONSOLE)).as(name)
                    .containsEntry(name, "http://" + service + ":" + environment(service).get("SERVER_PORT"));
        });
        assertThat(String.valueOf(map(console, "healthcheck").get("test"))).contains("/readiness.sh");
    }
}
