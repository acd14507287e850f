package dev.bulwark.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.bulwark.events.Topics;

/** The repository's files as the deployment checks read them. */
final class Repository {

    static final Path ROOT = findRoot();

    /** Placeholders {@code ${NAME}} or {@code ${NAME:default}} in a configuration file. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private Repository() {
    }

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java sources of one directory, concatenated. */
    static String javaSources(String relativeDirectory) {
        try (var files = Files.list(ROOT.resolve(relativeDirectory))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(java.util.stream.Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(String relative) {
        return Files.exists(ROOT.resolve(relative));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relative) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(read(relative));
    }

    /** Every document of a multi-document YAML file (empty documents left out). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlAll(String relative) {
        List<Map<String, Object>> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(relative)).forEach(d -> {
            if (d != null) {
                documents.add((Map<String, Object>) d);
            }
        });
        return documents;
    }

    /** A value down a path of keys, or null where the path ends early. */
    @SuppressWarnings("unchecked")
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? List.of() : (List<Object>) value;
    }

    /**
     * The configuration a service reads: its own {@code application.yaml} plus the platform
     * defaults every service inherits.
     */
    static String serviceConfiguration(String module) {
        return read(module + "/src/main/resources/application.yaml") + "\n"
                + read("platform/src/main/resources/bulwark-platform-defaults.yaml");
    }

    /** Environment names a configuration reads, with their defaults (null when it has none). */
    static Map<String, String> placeholders(String configuration) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(configuration);
        while (m.find()) {
            found.putIfAbsent(m.group(1), m.group(2));
        }
        return found;
    }

    private static final Pattern LIST_ENTRY = Pattern.compile("([A-Z0-9_]+?)_[0-9]+_[A-Z0-9_]+");

    /**
     * Whether an environment name binds, by Spring's relaxed binding, to an entry of a list the
     * service's {@code application.yaml} declares: {@code BULWARK_ECONOMY_SHARDS_1_JDBC_URL} is
     * {@code bulwark.economy.shards[1].jdbc-url}. Such a list has no placeholder to read it by.
     */
    static boolean bindsToADeclaredList(String module, String name) {
        Matcher m = LIST_ENTRY.matcher(name);
        if (!m.matches()) {
            return false;
        }
        Object node = yaml(module + "/src/main/resources/application.yaml");
        String rest = m.group(1);
        while (node instanceof Map<?, ?> map && !rest.isEmpty()) {
            Object next = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey()).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
                if (rest.equals(key) || rest.startsWith(key + "_")) {
                    next = entry.getValue();
                    rest = rest.substring(Math.min(rest.length(), key.length() + 1));
                    break;
                }
            }
            node = next;
        }
        return rest.isEmpty() && node instanceof List<?>;
    }

    /** Environment names the JVM and Spring read directly, not through a placeholder. */
    static final Set<String> PLATFORM_NAMES = Set.of("JAVA_TOOL_OPTIONS", "SPRING_PROFILES_ACTIVE");

    /** Environment names a service reads and has no default for: a deployment must give them. */
    static Set<String> requiredSettings(String module) {
        return placeholders(serviceConfiguration(module)).entrySet().stream().filter(p -> p.getValue() == null)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every topic of shared-events and its dead-letter topic. */
    static Set<String> topicsAndDeadLetters() {
        return Topics.ALL.stream().flatMap(t -> Stream.of(t.name(), t.deadLetter())).collect(Collectors.toCollection(TreeSet::new));
    }

    static Optional<String> defaultOf(String configuration, String name) {
        return Optional.ofNullable(placeholders(configuration).get(name));
    }

    /** The service modules: those with a Spring Boot application configuration. */
    /** The operator console's module: built like a service, but with no database or broker of its own. */
    static final String CONSOLE = "console";

    static Set<String> serviceModules() {
        Set<String> modules = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml"));
        while (m.find()) {
            if (m.group(1).endsWith("-service")) {
                modules.add(m.group(1));
            }
        }
        return modules;
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
