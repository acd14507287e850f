package dev.bulwark.deployment;

import static dev.bulwark.deployment.Manifests.container;
import static dev.bulwark.deployment.Manifests.name;
import static dev.bulwark.deployment.Manifests.port;
import static dev.bulwark.deployment.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The overlays as kustomize renders them, where a kustomize is installed (kubectl bundles one):
 * they build, and what they render hangs together — every referenced ConfigMap and Secret
 * exists or is made by an operator or by a documented step, every Deployment has a disruption
 * budget and, in prod, exactly one autoscaler, every Ingress backend is a Service port that
 * exists, every database cluster has an object store and a backup schedule, every container
 * and Service listens on its service's own port, every setting a service needs without a
 * default is given, and prod has a KafkaTopic for every topic of shared-events.
 * KubernetesManifestTests checks the sources everywhere; this adds the view after patches and
 * generators.
 */
class KustomizeBuildTests {

    @TempDir
    static Path work;

    private static List<String> kustomize;

    @BeforeAll
    static void findKustomize() throws IOException {
        kustomize = Stream.of(List.of("kustomize", "build"), List.of("kubectl", "kustomize"))
                .filter(command -> runs(List.of(command.get(0), "version", command.get(0).equals("kubectl") ? "--client" : "")))
                .findFirst().orElse(null);
        if (kustomize == null) {
            announceSkip();
        }
        Path copy = work.resolve("k8s");
        try (Stream<Path> files = Files.walk(Repository.ROOT.resolve("k8s"))) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(Repository.ROOT.resolve("k8s").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(f, target);
                }
            }
        }
        // Stand-ins for the dev key pair make-keys.sh creates: only the secret's shape matters here.
        Files.createDirectories(copy.resolve("overlays/dev/keys"));
        Files.writeString(copy.resolve("overlays/dev/keys/private.pem"), "private");
        Files.writeString(copy.resolve("overlays/dev/keys/public.pem"), "public");
    }

    /**
     * Says, once per run and on stderr (which surefire keeps in the class's report), that the
     * rendered-overlay checks did not run and how to make them run: a skipped test alone is
     * easy to miss in a green build.
     */
    private static void announceSkip() {
        String skipped = Stream.of(KustomizeBuildTests.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(TestFactory.class))
                .map(m -> m.getName()).sorted().collect(Collectors.joining("\n  - ", "  - ", ""));
        System.err.println("""

                ************************************************************************************
                * SKIPPED: the rendered kustomize overlays (k8s/overlays/dev, k8s/overlays/prod,
                * k8s/monitoring) were NOT checked - neither `kustomize` nor `kubectl` is on PATH.
                * KubernetesManifestTests still checked the YAML sources. To run these checks,
                * install kubectl (it bundles kustomize) or kustomize and run again:
                *   ./mvnw -B -pl deployment-checks -am test -Dtest=KustomizeBuildTests -Dsurefire.failIfNoSpecifiedTests=false
                * Skipped checks:
                ************************************************************************************
                """.replace("* Skipped checks:\n", "* Skipped checks:\n" + skipped + "\n"));
    }

    private static boolean runs(List<String> command) {
        try {
            Process p = new ProcessBuilder(command.stream().filter(s -> !s.isEmpty()).toList()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(String overlay) throws Exception {
        return build("overlays/" + overlay);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> build(String directory) throws Exception {
        assumeTrue(kustomize != null, "no kustomize or kubectl on PATH: rendered overlays not checked (see the banner on stderr)");
        List<String> command = new ArrayList<>(kustomize);
        command.add(work.resolve("k8s/" + directory).toString());
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kustomize build %s: %s", directory, err).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(new String(out, StandardCharsets.UTF_8))
                .forEach(d -> objects.add((Map<String, Object>) d));
        return objects;
    }

    private interface OverlayCheck {
        void check(String overlay, List<Map<String, Object>> rendered) throws Exception;
    }

    private static List<DynamicTest> perOverlay(OverlayCheck check) {
        return Stream.of("dev", "prod").map(overlay -> DynamicTest.dynamicTest(overlay, () -> check.check(overlay, render(overlay))))
                .toList();
    }

    private static List<Map<String, Object>> kind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The services' Deployments: all but the console's, which runs one replica and has no database. */
    private static List<Map<String, Object>> serviceDeployments(List<Map<String, Object>> objects) {
        return kind(objects, "Deployment").stream().filter(d -> !Repository.CONSOLE.equals(name(d))).toList();
    }

    private static boolean exists(List<Map<String, Object>> objects, String kind, String name) {
        return kind(objects, kind).stream().anyMatch(o -> name.equals(name(o)));
    }

    @TestFactory
    List<DynamicTest> everyObjectLandsInTheOverlaysNamespace() {
        return perOverlay((overlay, objects) -> {
            String namespace = name(kind(objects, "Namespace").get(0));
            objects.stream().filter(o -> !"Namespace".equals(o.get("kind")))
                    .forEach(o -> assertThat(at(o, "metadata", "namespace")).as("%s %s", o.get("kind"), name(o)).isEqualTo(namespace));
        });
    }

    @TestFactory
    List<DynamicTest> everyConfigMapAndSecretADeploymentReadsExistsOrIsMadeByAnOperatorOrADocumentedStep() {
        return perOverlay((overlay, objects) -> {
            for (Map<String, Object> deployment : kind(objects, "Deployment")) {
                Map<String, Object> pod = Repository.map(Repository.map(Repository.map(deployment, "spec"), "template"), "spec");
                Set<String> configMaps = new HashSet<>();
                Set<String> secrets = new HashSet<>();
                Repository.list(pod, "containers").forEach(c -> {
                    Repository.list(Repository.map(Map.of("c", c), "c"), "envFrom").forEach(f -> {
                        Optional.ofNullable(at(f, "configMapRef", "name")).ifPresent(n -> configMaps.add(n.toString()));
                        Optional.ofNullable(at(f, "secretRef", "name")).ifPresent(n -> secrets.add(n.toString()));
                    });
                    Repository.list(Repository.map(Map.of("c", c), "c"), "env").forEach(e -> {
                        Optional.ofNullable(at(e, "valueFrom", "configMapKeyRef", "name")).ifPresent(n -> configMaps.add(n.toString()));
                        Optional.ofNullable(at(e, "valueFrom", "secretKeyRef", "name")).ifPresent(n -> secrets.add(n.toString()));
                    });
                });
                Repository.list(pod, "volumes").forEach(v -> {
                    Optional.ofNullable(at(v, "configMap", "name")).ifPresent(n -> configMaps.add(n.toString()));
                    Optional.ofNullable(at(v, "secret", "secretName")).ifPresent(n -> secrets.add(n.toString()));
                });
                configMaps.forEach(n -> assertThat(exists(objects, "ConfigMap", n)).as("ConfigMap %s of %s", n, name(deployment)).isTrue());
                secrets.forEach(n -> assertThat(exists(objects, "Secret", n) || madeByCloudNativePg(objects, n) || documented(n))
                        .as("Secret %s of %s exists, is CloudNativePG's or is created as the README says", n, name(deployment)).isTrue());
            }
        });
    }

    private static boolean madeByCloudNativePg(List<Map<String, Object>> objects, String secret) {
        return secret.endsWith("-app") && kind(objects, "Cluster").stream()
                .anyMatch(c -> String.valueOf(c.get("apiVersion")).startsWith("postgresql.cnpg.io/")
                        && secret.equals(name(c) + "-app"));
    }

    private static boolean documented(String secret) {
        return Repository.read("README.md").contains("kubectl create secret generic " + secret);
    }

    @TestFactory
    List<DynamicTest> renderedDeploymentsKeepTheirBudgetsProbesAndEnvironment() {
        return perOverlay((overlay, objects) -> {
            List<Map<String, Object>> deployments = serviceDeployments(objects);
            assertThat(deployments).hasSize(Repository.serviceModules().size());
            assertThat(exists(objects, "PodDisruptionBudget", Repository.CONSOLE)).as("the console's budget").isTrue();
            for (Map<String, Object> deployment : deployments) {
                Object labels = at(deployment, "spec", "template", "metadata", "labels");
                assertThat(kind(objects, "PodDisruptionBudget")).as("PDB of %s", name(deployment))
                        .anyMatch(pdb -> labels instanceof Map<?, ?> l
                                && l.entrySet().containsAll(((Map<?, ?>) at(pdb, "spec", "selector", "matchLabels")).entrySet()));
                Map<String, Object> container = container(deployment);
                assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/livez");
                assertThat(at(container, "resources", "limits", "memory")).isEqualTo(at(container, "resources", "requests", "memory"));
                String module = module(container);
                Set<String> given = environment(objects, container).keySet();
                Set<String> unread = new HashSet<>(given);
                unread.removeAll(Repository.placeholders(Repository.serviceConfiguration(module)).keySet());
                unread.removeAll(Repository.PLATFORM_NAMES);
                unread.removeIf(variable -> Repository.bindsToADeclaredList(module, variable));
                assertThat(unread).as("environment of %s that %s never reads", name(deployment), module).isEmpty();
                assertThat(given).as("settings %s needs without a default, given to %s", module, name(deployment))
                        .containsAll(Repository.requiredSettings(module));
            }
        });
    }

    private static String module(Map<String, Object> container) {
        return String.valueOf(at(container, "image")).replaceAll("^(?:.*/)?([a-z0-9-]+):.*$", "$1");
    }

    /** The rendered environment of a container: its own entries and the ConfigMaps it loads. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(List<Map<String, Object>> objects, Map<String, Object> container) {
        Map<String, Object> env = new HashMap<>();
        Repository.list(container, "envFrom").forEach(from -> kind(objects, "ConfigMap").stream()
                .filter(c -> name(c).equals(at(from, "configMapRef", "name")))
                .forEach(c -> env.putAll((Map<String, Object>) c.get("data"))));
        Repository.list(container, "env").forEach(e -> env.put(String.valueOf(at(e, "name")),
                at(e, "value") != null ? at(e, "value") : at(e, "valueFrom")));
        return env;
    }

    @TestFactory
    List<DynamicTest> renderedContainersAndServicesListenOnTheServicesOwnPort() {
        return perOverlay((overlay, objects) -> {
            for (Map<String, Object> deployment : kind(objects, "Deployment")) {
                Map<String, Object> container = container(deployment);
                String own = Repository.defaultOf(Repository.serviceConfiguration(module(container)), "SERVER_PORT").orElseThrow();
                assertThat(environment(objects, container)).as("environment of %s", name(deployment))
                        .containsEntry("SERVER_PORT", own);
                assertThat(port(container, "http")).as("container port of %s", name(deployment)).isEqualTo(Integer.parseInt(own));
                Map<String, Object> service = kind(objects, "Service").stream().filter(s -> name(s).equals(name(deployment)))
                        .findFirst().orElseThrow(() -> new AssertionError("no Service " + name(deployment)));
                assertThat(Repository.list(Repository.map(service, "spec"), "ports")).as("ports of Service %s", name(service))
                        .anyMatch(p -> Integer.valueOf(Integer.parseInt(own)).equals(at(p, "port")) && "http".equals(at(p, "targetPort")));
            }
        });
    }

    @Test
    void prodRendersAKafkaTopicForEveryTopicAndDeadLetterTopic() throws Exception {
        List<Map<String, Object>> objects = render("prod");
        Set<String> rendered = new HashSet<>();
        kind(objects, "KafkaTopic").forEach(t -> rendered.add(String.valueOf(
                at(t, "spec", "topicName") != null ? at(t, "spec", "topicName") : name(t))));
        assertThat(rendered).containsAll(Repository.topicsAndDeadLetters());
    }

    @TestFactory
    List<DynamicTest> prodScalesEveryDeploymentWithExactlyOneAutoscalerAndDevWithNone() {
        return perOverlay((overlay, objects) -> {
            for (Map<String, Object> deployment : serviceDeployments(objects)) {
                long autoscalers = Stream.concat(kind(objects, "HorizontalPodAutoscaler").stream(), kind(objects, "ScaledObject").stream())
                        .filter(a -> name(deployment).equals(at(a, "spec", "scaleTargetRef", "name"))).count();
                if (overlay.equals("prod")) {
                    assertThat(autoscalers).as("autoscalers of %s", name(deployment)).isEqualTo(1);
                    assertThat(at(deployment, "spec", "replicas")).as("the autoscaler owns the count").isNull();
                }
                else {
                    assertThat(autoscalers).isZero();
                    assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
                }
            }
        });
    }

    @Test
    void prodIngressBackendsAreServicesAndPortsThatExistAndItsCertificateIsIssued() throws Exception {
        List<Map<String, Object>> objects = render("prod");
        List<Map<String, Object>> ingresses = kind(objects, "Ingress");
        assertThat(ingresses).isNotEmpty();
        for (Map<String, Object> ingress : ingresses) {
            Repository.list(Repository.map(ingress, "spec"), "rules").forEach(rule -> ((List<?>) at(rule, "http", "paths")).forEach(p -> {
                Object service = at(p, "backend", "service", "name");
                Object port = at(p, "backend", "service", "port", "name") != null ? at(p, "backend", "service", "port", "name")
                        : at(p, "backend", "service", "port", "number");
                Map<String, Object> target = kind(objects, "Service").stream().filter(s -> name(s).equals(service)).findFirst()
                        .orElseThrow(() -> new AssertionError(name(ingress) + " routes " + at(p, "path") + " to no Service " + service));
                assertThat(Repository.list(Repository.map(target, "spec"), "ports")).as("port %s of Service %s", port, service)
                        .anyMatch(sp -> port.equals(at(sp, "name")) || port.equals(at(sp, "port")));
            }));
            Repository.list(Repository.map(ingress, "spec"), "tls").forEach(tls -> assertThat(
                    exists(objects, "Secret", String.valueOf(at(tls, "secretName"))) || ingresses.stream().anyMatch(i ->
                            at(i, "metadata", "annotations", "cert-manager.io/cluster-issuer") != null
                                    && String.valueOf(at(i, "spec", "tls")).contains("secretName=" + at(tls, "secretName"))))
                    .as("TLS secret %s of %s exists or cert-manager issues it", at(tls, "secretName"), name(ingress)).isTrue());
        }
    }

    @Test
    void prodBacksUpEveryDatabaseClusterToAnObjectStoreOnASchedule() throws Exception {
        List<Map<String, Object>> objects = render("prod");
        List<Map<String, Object>> clusters = kind(objects, "Cluster");
        // One cluster per service database, and one more per further economy shard (docs/scaling.md).
        assertThat(clusters).hasSize(Repository.serviceModules().size() + 1);
        for (Map<String, Object> cluster : clusters) {
            Object store = Repository.list(Repository.map(cluster, "spec"), "plugins").stream()
                    .filter(p -> Boolean.TRUE.equals(at(p, "isWALArchiver"))).map(p -> at(p, "parameters", "barmanObjectName"))
                    .findFirst().orElseThrow(() -> new AssertionError(name(cluster) + " archives no WAL"));
            Map<String, Object> objectStore = kind(objects, "ObjectStore").stream().filter(o -> name(o).equals(store)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ObjectStore " + store + " for " + name(cluster)));
            Object secret = at(objectStore, "spec", "configuration", "s3Credentials", "secretAccessKey", "name");
            assertThat(exists(objects, "Secret", String.valueOf(secret)) || documented(String.valueOf(secret)))
                    .as("credentials %s of %s exist or are created as the README says", secret, store).isTrue();
            assertThat(kind(objects, "ScheduledBackup")).as("a ScheduledBackup of %s", name(cluster))
                    .anyMatch(b -> name(cluster).equals(at(b, "spec", "cluster", "name"))
                            && at(cluster, "metadata", "namespace").equals(at(b, "metadata", "namespace")));
        }
    }

    @Test
    void theClustersGrafanaGetsTheDashboardComposeShows() throws Exception {
        List<Map<String, Object>> objects = build("monitoring");
        Map<String, Object> dashboard = kind(objects, "ConfigMap").get(0);
        assertThat(at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        assertThat(at(dashboard, "data", "bulwark.json")).isEqualTo(Repository.read("k8s/monitoring/grafana/bulwark.json"));
    }
}
