package dev.bulwark.deployment;

import static dev.bulwark.deployment.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The Kubernetes objects written under a folder of k8s/ (kustomization files and generators
 * apart), read as data, plus what the folder's kustomization files generate.
 */
final class Manifests {

    private final List<Map<String, Object>> objects;
    private final List<Map<String, Object>> kustomizations;

    private Manifests(List<Map<String, Object>> objects, List<Map<String, Object>> kustomizations) {
        this.objects = objects;
        this.kustomizations = kustomizations;
    }

    /** Everything below {@code relative}, recursively. */
    static Manifests under(String relative) {
        try (Stream<Path> files = Files.walk(Repository.ROOT.resolve(relative))) {
            List<String> yaml = files.filter(f -> f.toString().endsWith(".yaml"))
                    .map(f -> Repository.ROOT.relativize(f).toString()).sorted().toList();
            return new Manifests(
                    yaml.stream().filter(f -> !f.endsWith("kustomization.yaml")).flatMap(f -> Repository.yamlAll(f).stream())
                            .filter(d -> d.containsKey("kind") && d.containsKey("apiVersion")).toList(),
                    yaml.stream().filter(f -> f.endsWith("kustomization.yaml")).map(Repository::yaml).toList());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Manifests and(Manifests other) {
        return new Manifests(Stream.concat(objects.stream(), other.objects.stream()).toList(),
                Stream.concat(kustomizations.stream(), other.kustomizations.stream()).toList());
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    List<Map<String, Object>> kind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
        return kind(kind).stream().filter(o -> name.equals(name(o))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    static String name(Map<String, Object> object) {
        return String.valueOf(at(object, "metadata", "name"));
    }

    /** The one container of a Deployment or StatefulSet. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Map<String, Object> workload) {
        List<Object> containers = (List<Object>) at(workload, "spec", "template", "spec", "containers");
        assertThat(containers).as("containers of %s", name(workload)).hasSize(1);
        return (Map<String, Object>) containers.get(0);
    }

    static int port(Map<String, Object> container, String name) {
        return Repository.list(container, "ports").stream().filter(p -> name.equals(at(p, "name")))
                .map(p -> ((Number) at(p, "containerPort")).intValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    /**
     * The literals of the generators named {@code name}, in file order (an overlay's merge comes
     * after the base it merges into when the overlay is added last).
     */
    Map<String, String> generated(String generatorKind, String name) {
        Map<String, String> literals = new LinkedHashMap<>();
        kustomizations.stream().flatMap(k -> Repository.list(k, generatorKind).stream())
                .map(g -> (Map<?, ?>) g).filter(g -> name.equals(g.get("name")))
                .flatMap(g -> ((List<?>) Objects.requireNonNullElse(g.get("literals"), List.of())).stream())
                .map(String::valueOf)
                .forEach(l -> literals.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return literals;
    }

    boolean generates(String generatorKind, String name) {
        return kustomizations.stream().flatMap(k -> Repository.list(k, generatorKind).stream())
                .anyMatch(g -> name.equals(((Map<?, ?>) g).get("name")));
    }

    List<Map<String, Object>> kustomizations() {
        return kustomizations;
    }
}
