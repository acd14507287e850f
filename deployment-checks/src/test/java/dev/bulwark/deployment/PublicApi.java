package dev.bulwark.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The HTTP paths each service serves, read from its controllers' mapping annotations (a class's
 * {@code @RequestMapping} prefix included) and, for a GraphQL controller, {@code /graphql}. A
 * controller added later is routed or the deployment checks fail.
 */
final class PublicApi {

    /** One handler: the module serving it, its path template and whether it streams events. */
    record Endpoint(String module, String path, boolean eventStream) {

        /** The path as a client sends it, every variable filled in. */
        String sample() {
            return path.replaceAll("\\{[^}]+}", "0b6e2f3c-9a51-4d7e-8c11-2f4be1e0a9d7");
        }
    }

    /**
     * Operator reads that two services serve under one path (the contract gives social the
     * economy's shard reads). One public host routes a path to one service, the economy; the
     * console reaches social's inside the cluster, as it does every service's admin status.
     */
    static final Set<Endpoint> SHARED_WITH_ANOTHER_SERVICE = Set.of(
            new Endpoint("social-service", "/api/v1/admin/shards", false),
            new Endpoint("social-service", "/api/v1/admin/players/{playerId}/shard", false));

    private static final Pattern MAPPING = Pattern.compile("@(Get|Post|Put|Patch|Delete|Request)Mapping\\b(?:\\(([^)]*)\\))?");
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");
    /** A class declaration at the start of a line, not the word in a comment above it. */
    private static final Pattern CLASS = Pattern.compile("(?m)^(?:(?:public|protected|private|abstract|final|sealed|static)\\s+)*class\\s+\\w+");
    private static final Pattern GRAPHQL = Pattern.compile("@(Query|Mutation|Subscription|Schema)Mapping\\b");

    private PublicApi() {
    }

    static List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        Repository.serviceModules().forEach(module -> {
            try (Stream<Path> files = Files.walk(Repository.ROOT.resolve(module + "/src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> endpoints.addAll(endpoints(module, read(f))));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return endpoints;
    }

    static List<Endpoint> endpoints(String module, String source) {
        List<Endpoint> found = new ArrayList<>();
        if (!source.contains("@RestController") && !source.contains("@Controller")) {
            return found;
        }
        Matcher declaration = CLASS.matcher(source);
        int body = declaration.find() ? declaration.start() : 0;
        String prefix = "";
        Matcher m = MAPPING.matcher(source);
        while (m.find()) {
            String arguments = m.group(2) == null ? "" : m.group(2);
            Matcher path = STRING.matcher(arguments);
            String value = path.find() ? path.group(1) : "";
            if (m.start() < body) {
                prefix = value;
            }
            else {
                found.add(new Endpoint(module, prefix + value, arguments.contains("TEXT_EVENT_STREAM")));
            }
        }
        if (GRAPHQL.matcher(source).find()) {
            found.add(new Endpoint(module, "/graphql", false));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
