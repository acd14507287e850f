package dev.bulwark.deployment;

import static dev.bulwark.deployment.Manifests.name;
import static dev.bulwark.deployment.Repository.at;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which Ingress path ingress-nginx picks for a request: with {@code use-regex} on any Ingress of
 * a host, every path of that host is a case-insensitive regular expression anchored at the start
 * and the longest path is tried first; without it, Exact beats Prefix (whole path segments),
 * and the longest prefix wins.
 */
final class IngressRouting {

    static final String USE_REGEX = "nginx.ingress.kubernetes.io/use-regex";

    /** One path of one Ingress rule, with the backend and the annotations of its Ingress. */
    record Route(String ingress, String host, String path, String pathType, String service, Object port,
            Map<String, Object> annotations) {
    }

    private final List<Route> routes;

    IngressRouting(List<Map<String, Object>> ingresses) {
        List<Route> all = new ArrayList<>();
        ingresses.forEach(ingress -> Repository.list(Repository.map(ingress, "spec"), "rules").forEach(rule -> {
            Object paths = at(rule, "http", "paths");
            ((List<?>) paths).forEach(p -> {
                Object port = at(p, "backend", "service", "port", "name") != null ? at(p, "backend", "service", "port", "name")
                        : at(p, "backend", "service", "port", "number");
                @SuppressWarnings("unchecked")
                Map<String, Object> annotations = (Map<String, Object>) Objects.requireNonNullElse(
                        at(ingress, "metadata", "annotations"), Map.of());
                all.add(new Route(name(ingress), String.valueOf(at(rule, "host")), String.valueOf(at(p, "path")),
                        String.valueOf(at(p, "pathType")), String.valueOf(at(p, "backend", "service", "name")), port, annotations));
            });
        }));
        this.routes = List.copyOf(all);
    }

    List<Route> routes() {
        return routes;
    }

    Optional<Route> select(String host, String path) {
        List<Route> candidates = routes.stream().filter(r -> r.host().equals(host)).toList();
        if (candidates.stream().anyMatch(r -> "true".equals(String.valueOf(r.annotations().get(USE_REGEX))))) {
            return candidates.stream().sorted(Comparator.comparingInt((Route r) -> r.path().length()).reversed())
                    .filter(r -> Pattern.compile("^" + r.path(), Pattern.CASE_INSENSITIVE).matcher(path).lookingAt()).findFirst();
        }
        Optional<Route> exact = candidates.stream().filter(r -> r.pathType().equals("Exact") && r.path().equals(path)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        return candidates.stream().filter(r -> !r.pathType().equals("Exact")).filter(r -> {
            String prefix = r.path().endsWith("/") ? r.path().substring(0, r.path().length() - 1) : r.path();
            return r.pathType().equals("Prefix") ? path.equals(prefix) || path.startsWith(prefix + "/") : path.startsWith(r.path());
        }).max(Comparator.comparingInt(r -> r.path().length()));
    }
}
