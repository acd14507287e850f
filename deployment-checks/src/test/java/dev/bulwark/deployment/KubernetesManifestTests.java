package dev.bulwark.deployment;

import static dev.bulwark.deployment.Manifests.container;
import static dev.bulwark.deployment.Manifests.name;
import static dev.bulwark.deployment.Manifests.port;
import static dev.bulwark.deployment.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.bulwark.events.Topic;

/**
 * k8s/ cannot be applied to a cluster here, so its cross-references are checked as data: the
 * base per service against each service's application.yaml and the platform defaults, the
 * overlays against the base and against shared-events' topics. Names are derived from the
 * files, so a setting or topic added to a service later is checked without editing this class.
 */
class KubernetesManifestTests {

    private static final Pattern IMAGE = Pattern.compile("(?:.*/)?([a-z0-9-]+):[^:]+$");

    private final Manifests base = Manifests.under("k8s/base");
    private final Manifests dev = Manifests.under("k8s/overlays/dev");
    private final Manifests prod = Manifests.under("k8s/overlays/prod");
    private final Map<String, Object> defaults = Repository.yaml("platform/src/main/resources/bulwark-platform-defaults.yaml");

    /** Deployment name → the Maven module its image is built from. */
    private Map<String, String> services() {
        Map<String, String> services = new LinkedHashMap<>();
        base.kind("Deployment").stream().filter(d -> !Repository.CONSOLE.equals(name(d))).forEach(d -> {
            Matcher m = IMAGE.matcher(String.valueOf(at(container(d), "image")));
            assertThat(m.matches()).as("image of %s", name(d)).isTrue();
            services.put(name(d), m.group(1));
        });
        return services;
    }

    private List<DynamicTest> perService(BiConsumer<String, String> check) {
        return services().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check.accept(e.getKey(), e.getValue()))).toList();
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Repository.map(Repository.map(Repository.map(workload, "spec"), "template"), "spec");
    }

    /** The environment a container gets: its own entries plus the generated ConfigMaps it loads. */
    private static Map<String, String> environment(Map<String, Object> deployment, Manifests generators) {
        Map<String, String> env = new LinkedHashMap<>();
        Repository.list(container(deployment), "envFrom").forEach(from -> {
            Object configMap = at(from, "configMapRef", "name");
            assertThat(configMap).as("envFrom of %s loads a ConfigMap", name(deployment)).isNotNull();
            assertThat(generators.generates("configMapGenerator", configMap.toString()))
                    .as("ConfigMap %s is generated", configMap).isTrue();
            env.putAll(generators.generated("configMapGenerator", configMap.toString()));
        });
        Repository.list(container(deployment), "env").forEach(e -> env.put(String.valueOf(at(e, "name")),
                at(e, "value") != null ? String.valueOf(at(e, "value")) : "<from " + at(e, "valueFrom") + ">"));
        return env;
    }

    private Map<String, String> environment(String service) {
        return environment(base.named("Deployment", service), base);
    }

    private static String consumerGroup(String module) {
        return String.valueOf(at(Repository.yaml(module + "/src/main/resources/application.yaml"),
                "spring", "kafka", "consumer", "group-id"));
    }

    private static String applicationName(String module) {
        return String.valueOf(at(Repository.yaml(module + "/src/main/resources/application.yaml"),
                "spring", "application", "name"));
    }

    private static String ownDatabase(String module) {
        String url = Repository.defaultOf(Repository.serviceConfiguration(module), "BULWARK_DB_URL").orElseThrow();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    // --- the base, per service ---------------------------------------------------------------

    @Test
    void everyServiceModuleHasABaseWithItsDeploymentServicePdbAutoscalerAndNetworkPolicy() {
        assertThat(services().values()).containsExactlyInAnyOrderElementsOf(Repository.serviceModules());
        List<Object> included = Repository.list(Repository.yaml("k8s/base/kustomization.yaml"), "resources");
        services().keySet().forEach(service -> {
            assertThat(included).as("k8s/base/kustomization.yaml includes %s", service).contains(service);
            for (String kind : List.of("Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy")) {
                assertThat(base.named(kind, service)).as("%s %s", kind, service).isNotNull();
            }
            Set<Object> listed = Set.copyOf(Repository.list(Repository.yaml("k8s/base/" + service + "/kustomization.yaml"), "resources"));
            assertThat(listed).as("every file of k8s/base/%s is in its kustomization", service)
                    .containsAll(Stream.of(Repository.ROOT.resolve("k8s/base/" + service).toFile().list())
                            .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
        });
    }

    @TestFactory
    List<DynamicTest> environmentNamesAreOnesTheServiceReads() {
        return perService((service, module) -> {
            Set<String> read = Repository.placeholders(Repository.serviceConfiguration(module)).keySet();
            Set<String> given = new HashSet<>(environment(service).keySet());
            given.addAll(environment(base.named("Deployment", service), base.and(prod)).keySet());
            given.removeAll(read);
            given.removeAll(Repository.PLATFORM_NAMES);
            given.removeIf(name -> Repository.bindsToADeclaredList(module, name));
            assertThat(given).as("environment of %s that %s never reads", service, module).isEmpty();
        });
    }

    @TestFactory
    List<DynamicTest> everyRequiredSettingWithoutADefaultIsProvided() {
        return perService((service, module) -> {
            Set<String> missing = Repository.requiredSettings(module).stream()
                    .filter(name -> !environment(service).containsKey(name)).collect(Collectors.toSet());
            assertThat(missing).as("settings %s needs and k8s/base does not give", module).isEmpty();
        });
    }

    @TestFactory
    List<DynamicTest> logsAreStructuredJsonThroughTheSettingThePlatformReads() {
        assertThat(at(defaults, "logging", "structured", "format", "console")).isEqualTo("${BULWARK_LOG_FORMAT:}");
        return perService((service, module) -> assertThat(environment(service))
                .as("%s writes one JSON object per line for the log collector", service)
                .containsEntry("BULWARK_LOG_FORMAT", "ecs"));
    }

    @TestFactory
    List<DynamicTest> containerAndServicePortsAreTheServicesOwnPort() {
        return perService((service, module) -> {
            String own = Repository.defaultOf(Repository.serviceConfiguration(module), "SERVER_PORT").orElseThrow();
            Map<String, Object> deployment = base.named("Deployment", service);
            assertThat(environment(service)).containsEntry("SERVER_PORT", own);
            assertThat(port(container(deployment), "http")).isEqualTo(Integer.parseInt(own));
            // The actuator's own port, for Prometheus only: a container port, never the Service's.
            String management = environment(service).get("BULWARK_MANAGEMENT_PORT");
            assertThat(management).as("%s management port", service).isNotNull().isNotEqualTo(own);
            assertThat(port(container(deployment), "management")).isEqualTo(Integer.parseInt(management));
            assertThat(String.valueOf(at(base.named("Service", service), "spec", "ports"))).doesNotContain(management);
            Map<String, Object> port = Repository.list(Repository.map(base.named("Service", service), "spec"), "ports").stream()
                    .map(p -> Repository.map(Map.of("p", p), "p")).findFirst().orElseThrow();
            assertThat(port.get("port")).isEqualTo(Integer.parseInt(own));
            assertThat(port.get("targetPort")).isEqualTo("http");
            assertThat(at(base.named("Service", service), "spec", "selector"))
                    .isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
        });
    }

    @TestFactory
    List<DynamicTest> probesUseTheActuatorHealthGroupsTheServicesExpose() {
        assertThat(at(defaults, "management", "endpoint", "health", "probes", "enabled")).isEqualTo(true);
        // /livez and /readyz on the service port: the probes check the server that takes the traffic.
        assertThat(at(defaults, "management", "endpoint", "health", "probes", "add-additional-paths")).isEqualTo(true);
        assertThat(String.valueOf(at(defaults, "management", "endpoints", "web", "exposure", "include")))
                .contains("health");
        return perService((service, module) -> {
            Map<String, Object> container = container(base.named("Deployment", service));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(at(container, probe, "httpGet", "port")).as("%s port", probe).isEqualTo("http");
            }
            assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/livez");
            assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/livez");
            assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
            Set<String> readiness = Set.of(String.valueOf(at(defaults, "management", "endpoint", "health", "group",
                    "readiness", "include")).split("\\s*,\\s*"));
            assertThat(readiness).as("readiness checks the database and Kafka").contains("readinessState", "db", "kafka");
        });
    }

    @Test
    void noLivenessProbeTouchesExternalSystems() {
        Object liveness = at(defaults, "management", "endpoint", "health", "group", "liveness", "include");
        assertThat(String.valueOf(liveness)).as("the liveness group checks the process only").isEqualTo("livenessState");
        assertThat(Repository.serviceModules()).allSatisfy(module -> assertThat(
                at(Repository.yaml(module + "/src/main/resources/application.yaml"), "management", "endpoint", "health",
                        "group", "liveness")).as("%s does not redefine the liveness group", module).isNull());
        Stream.of(base, dev, prod).flatMap(m -> Stream.concat(m.kind("Deployment").stream(), m.kind("StatefulSet").stream()))
                .forEach(workload -> {
                    Object path = at(container(workload), "livenessProbe", "httpGet", "path");
                    if (path != null) {
                        assertThat(path).as("liveness of %s", name(workload)).isEqualTo("/livez");
                    }
                });
        Stream.of(dev, prod).flatMap(m -> m.kustomizations().stream()).forEach(k -> assertThat(String.valueOf(k.get("patches")))
                .as("no overlay patches probes").doesNotContain("Probe"));
    }

    @TestFactory
    List<DynamicTest> everyDeploymentHasResourcesAndAPodDisruptionBudget() {
        return Stream.of(base, dev, prod).flatMap(m -> m.kind("Deployment").stream().map(d -> Map.entry(m, d)))
                .map(e -> DynamicTest.dynamicTest(name(e.getValue()), () -> {
                    Map<String, Object> deployment = e.getValue();
                    Map<String, Object> resources = Repository.map(container(deployment), "resources");
                    assertThat(at(resources, "requests", "cpu")).as("cpu request").isNotNull();
                    assertThat(at(resources, "requests", "memory")).as("memory request").isNotNull();
                    assertThat(at(resources, "limits", "memory")).as("memory limit = request: no overcommit for a JVM")
                            .isEqualTo(at(resources, "requests", "memory"));
                    Object labels = at(deployment, "spec", "template", "metadata", "labels");
                    assertThat(e.getKey().and(base).kind("PodDisruptionBudget"))
                            .as("a PodDisruptionBudget selecting %s's pods", name(deployment))
                            .anyMatch(pdb -> labelsMatch(at(pdb, "spec", "selector", "matchLabels"), labels));
                })).toList();
    }

    @SuppressWarnings("unchecked")
    private static boolean labelsMatch(Object selector, Object labels) {
        return selector instanceof Map<?, ?> s && !s.isEmpty() && labels instanceof Map<?, ?> l
                && ((Map<Object, Object>) l).entrySet().containsAll(s.entrySet());
    }

    @TestFactory
    List<DynamicTest> overlayPatchesResizeEveryServiceDeployment() {
        return Stream.of("dev", "prod").map(overlay -> DynamicTest.dynamicTest(overlay, () -> {
            Map<String, Object> k = Repository.yaml("k8s/overlays/" + overlay + "/kustomization.yaml");
            assertThat(k).doesNotContainKeys("patchesStrategicMerge", "patchesJson6902");
            assertThat(Repository.list(k, "patches")).anySatisfy(p -> {
                assertThat(at(p, "target", "kind")).isEqualTo("Deployment");
                assertThat(String.valueOf(at(p, "patch"))).contains("/spec/template/spec/containers/0/resources");
            });
            List<Object> resources = Repository.list(k, "resources");
            assertThat(resources).contains("../../base");
        })).toList();
    }

    @TestFactory
    List<DynamicTest> shutdownIsGracefulWithinTheTerminationGracePeriod() {
        assertThat(at(defaults, "server", "shutdown")).isEqualTo("graceful");
        Duration phase = duration(String.valueOf(at(defaults, "spring", "lifecycle", "timeout-per-shutdown-phase")));
        return perService((service, module) -> {
            Map<String, Object> deployment = base.named("Deployment", service);
            List<?> preStop = (List<?>) at(container(deployment), "lifecycle", "preStop", "exec", "command");
            assertThat(preStop).as("preStop pause").hasSize(2).first().isEqualTo("sleep");
            long pause = Long.parseLong(String.valueOf(preStop.get(1)));
            long grace = ((Number) podSpec(deployment).get("terminationGracePeriodSeconds")).longValue();
            assertThat(grace).as("terminationGracePeriodSeconds > preStop %s s + shutdown phase %s", pause, phase)
                    .isGreaterThan(pause + phase.toSeconds());
        });
    }

    private static Duration duration(String spring) {
        try {
            return Duration.parse("PT" + spring.toUpperCase());
        }
        catch (DateTimeParseException e) {
            throw new AssertionError("not a simple duration: " + spring, e);
        }
    }

    @TestFactory
    List<DynamicTest> podsRunAsNonRootOnAReadOnlyFilesystemWithoutCapabilities() {
        return perService((service, module) -> {
            Map<String, Object> deployment = base.named("Deployment", service);
            Map<String, Object> pod = podSpec(deployment);
            Map<String, Object> container = container(deployment);
            assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
            assertThat(pod.get("automountServiceAccountToken")).as("no Kubernetes API token").isEqualTo(false);
            assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(String.valueOf(at(container, "securityContext", "capabilities", "drop"))).isEqualTo("[ALL]");
            assertThat(Repository.list(container, "volumeMounts")).as("a writable /tmp")
                    .anyMatch(m -> "/tmp".equals(at(m, "mountPath")) && Repository.list(pod, "volumes").stream()
                            .anyMatch(v -> at(v, "name").equals(at(m, "name")) && at(v, "emptyDir") != null));
            assertThat(Repository.list(pod, "topologySpreadConstraints")).extracting(c -> at(c, "topologyKey"))
                    .contains("topology.kubernetes.io/zone");
        });
    }

    @TestFactory
    List<DynamicTest> keyFilesComeFromTheSigningKeySecretAndOnlyPlayerCoreHoldsThePrivateKey() {
        return perService((service, module) -> {
            Map<String, Object> deployment = base.named("Deployment", service);
            Map<String, Object> pod = podSpec(deployment);
            Set<String> mountedFiles = new HashSet<>();
            Repository.list(container(deployment), "volumeMounts").forEach(m -> Repository.list(pod, "volumes").stream()
                    .filter(v -> at(v, "name").equals(at(m, "name")) && at(v, "secret") != null).forEach(v -> {
                        assertThat(at(v, "secret", "secretName")).isEqualTo("jwt-signing-key");
                        ((List<?>) at(v, "secret", "items")).forEach(i -> mountedFiles.add(at(m, "mountPath") + "/" + at(i, "path")));
                    }));
            Map<String, String> locations = environment(service).entrySet().stream().filter(e -> e.getKey().endsWith("_KEY_LOCATION"))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().substring("file:".length())));
            assertThat(mountedFiles).as("files %s mounts", service).containsExactlyInAnyOrderElementsOf(locations.values());
            boolean signs = Repository.placeholders(Repository.serviceConfiguration(module)).containsKey("BULWARK_JWT_PRIVATE_KEY_LOCATION");
            assertThat(mountedFiles.stream().anyMatch(f -> f.endsWith("private.pem"))).as("%s holds the private key", service)
                    .isEqualTo(signs);
        });
    }

    @Test
    void everyServiceTrustsPlayerCoreAsIssuerThroughItsService() {
        String playerCore = services().entrySet().stream().filter(e -> e.getValue().equals("player-core-service"))
                .findFirst().orElseThrow().getKey();
        String port = environment(playerCore).get("SERVER_PORT");
        services().keySet().forEach(service -> assertThat(environment(service).get("BULWARK_JWT_ISSUER"))
                .as("issuer %s trusts", service).isEqualTo("http://" + playerCore + ":" + port));
    }

    // --- autoscaling ----------------------------------------------------------------------------

    @TestFactory
    List<DynamicTest> autoscalersUseTheSeedsThresholds() {
        Set<String> adapterMetrics = adapterMetricNames();
        Set<String> documented = MetricsContract.documented();
        return perService((service, module) -> {
            Map<String, Object> hpa = base.named("HorizontalPodAutoscaler", service);
            assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
            assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(service);
            Map<String, Object> targets = new LinkedHashMap<>();
            Repository.list(Repository.map(hpa, "spec"), "metrics").forEach(m -> {
                if ("Resource".equals(at(m, "type"))) {
                    targets.put(String.valueOf(at(m, "resource", "name")), at(m, "resource", "target", "averageUtilization"));
                }
                else {
                    assertThat(at(m, "type")).isEqualTo("Pods");
                    targets.put(String.valueOf(at(m, "pods", "metric", "name")), at(m, "pods", "target", "averageValue"));
                }
            });
            assertThat(targets).containsEntry("cpu", 70).containsEntry("memory", 80)
                    .containsEntry("bulwark_players_online", "1000").containsEntry("http_server_requests_p99_seconds", "100m");
            targets.keySet().stream().filter(n -> !n.equals("cpu") && !n.equals("memory")).forEach(n -> {
                assertThat(adapterMetrics).as("the Prometheus Adapter serves %s", n).contains(n);
                assertThat(documented).as("docs/metrics.md names %s", n).contains(n);
            });
        });
    }

    @TestFactory
    List<DynamicTest> theHeapLeavesHeadroomUnderTheMemoryTargetAndIsReturnedWhenIdle() {
        return perService((service, module) -> {
            String options = environment(service).getOrDefault("JAVA_TOOL_OPTIONS", "");
            Matcher heap = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
            assertThat(heap.find()).as("%s sizes its heap from the container limit", service).isTrue();
            Object memoryTarget = Repository.list(Repository.map(base.named("HorizontalPodAutoscaler", service), "spec"), "metrics")
                    .stream().filter(m -> "memory".equals(at(m, "resource", "name")))
                    .map(m -> at(m, "resource", "target", "averageUtilization")).findFirst().orElseThrow();
            assertThat(Integer.parseInt(heap.group(1))).as("a full heap alone does not trip the memory target")
                    .isLessThan(((Number) memoryTarget).intValue() - 10);
            assertThat(options).contains("-XX:+UseG1GC").containsPattern("-XX:G1PeriodicGCInterval=[1-9]");
        });
    }

    private static Set<String> adapterMetricNames() {
        Map<String, Object> values = Repository.yaml("k8s/monitoring/prometheus-adapter-values.yaml");
        Set<String> served = new HashSet<>();
        ((List<?>) at(values, "rules", "custom")).forEach(rule -> {
            served.add(String.valueOf(at(rule, "name", "as")));
            String series = String.valueOf(at(rule, "seriesQuery"));
            assertThat(MetricsContract.documented()).as("docs/metrics.md names the adapter's source series %s", series)
                    .containsAll(MetricsContract.metricNames(series).stream().map(MetricsContract::family).toList());
            assertThat(series).as("the adapter maps series to pods").contains("namespace!=\"\"").contains("pod!=\"\"");
        });
        return served;
    }

    @Test
    void kedaScalesTheConsumingServiceOnItsConsumerGroupsLagAndReplacesItsHpaInProd() {
        List<Map<String, Object>> scaled = prod.kind("ScaledObject");
        assertThat(scaled).isNotEmpty();
        Map<String, Object> kustomization = Repository.yaml("k8s/overlays/prod/kustomization.yaml");
        scaled.forEach(so -> {
            String service = String.valueOf(at(so, "spec", "scaleTargetRef", "name"));
            String module = services().get(service);
            assertThat(module).as("ScaledObject %s targets a service Deployment", name(so)).isNotNull();
            List<Object> triggers = Repository.list(Repository.map(so, "spec"), "triggers");
            Map<String, Object> kafka = triggers.stream().filter(t -> "kafka".equals(at(t, "type")))
                    .map(t -> Repository.map(Map.of("t", t), "t")).findFirst().orElseThrow();
            assertThat(at(kafka, "metadata", "consumerGroup")).as("the group %s consumes as", module)
                    .isEqualTo(consumerGroup(module));
            assertThat(at(kafka, "metadata", "bootstrapServers")).isEqualTo(prodBootstrap(service));
            assertThat(triggers).anyMatch(t -> "cpu".equals(at(t, "type")) && "70".equals(at(t, "metadata", "value")));
            assertThat(triggers).anyMatch(t -> "memory".equals(at(t, "type")) && "80".equals(at(t, "metadata", "value")));
            triggers.stream().filter(t -> "prometheus".equals(at(t, "type"))).forEach(t -> {
                String query = String.valueOf(at(t, "metadata", "query"));
                assertThat(MetricsContract.documented()).containsAll(
                        MetricsContract.metricNames(query).stream().map(MetricsContract::family).toList());
                assertThat(query).contains("application=\"" + applicationName(module) + "\"");
            });
            assertThat(Repository.list(kustomization, "patches")).as("prod deletes the HPA KEDA replaces")
                    .anyMatch(p -> "HorizontalPodAutoscaler".equals(at(p, "target", "kind"))
                            && service.equals(at(p, "target", "name")) && String.valueOf(at(p, "patch")).contains("$patch: delete"));
        });
    }

    // --- prod: Strimzi and CloudNativePG ---------------------------------------------------------

    private String prodBootstrap(String service) {
        return environment(base.named("Deployment", service), base.and(prod)).get("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void prodRunsKafkaInKraftModeThroughStrimziAndTheServicesUseItsBootstrapService() {
        List<Map<String, Object>> clusters = prod.kind("Kafka");
        assertThat(clusters).hasSize(1);
        Map<String, Object> kafka = clusters.get(0);
        assertThat(at(kafka, "metadata", "annotations")).isEqualTo(Map.of("strimzi.io/node-pools", "enabled",
                "strimzi.io/kraft", "enabled"));
        assertThat(at(kafka, "spec", "zookeeper")).isNull();
        List<Map<String, Object>> pools = prod.kind("KafkaNodePool");
        assertThat(pools).allSatisfy(p -> assertThat(at(p, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(name(kafka)));
        assertThat(pools.stream().flatMap(p -> ((List<?>) at(p, "spec", "roles")).stream()).map(String::valueOf))
                .contains("controller", "broker");
        Object port = ((List<?>) at(kafka, "spec", "kafka", "listeners")).stream().filter(l -> Boolean.FALSE.equals(at(l, "tls")))
                .map(l -> at(l, "port")).findFirst().orElseThrow();
        services().keySet().forEach(service -> assertThat(prodBootstrap(service))
                .isEqualTo(name(kafka) + "-kafka-bootstrap:" + port));
    }

    @TestFactory
    List<DynamicTest> everyTopicAndDeadLetterTopicHasAKafkaTopicWithThePlatformsPartitions() {
        Matcher m = Pattern.compile("new NewTopic\\(name, Optional\\.of\\((\\d+)\\)").matcher(
                Repository.read("platform/src/main/java/dev/bulwark/platform/messaging/MessagingConfiguration.java"));
        assertThat(m.find()).as("the platform's partition count").isTrue();
        int partitions = Integer.parseInt(m.group(1));
        String cluster = name(prod.kind("Kafka").get(0));
        int brokers = prod.kind("KafkaNodePool").stream().filter(p -> ((List<?>) at(p, "spec", "roles")).contains("broker"))
                .mapToInt(p -> ((Number) at(p, "spec", "replicas")).intValue()).sum();
        Map<String, Map<String, Object>> byTopic = prod.kind("KafkaTopic").stream().collect(Collectors.toMap(
                t -> String.valueOf(at(t, "spec", "topicName") != null ? at(t, "spec", "topicName") : name(t)), t -> t));
        return Repository.topicsAndDeadLetters().stream().map(topic -> DynamicTest.dynamicTest(topic, () -> {
            Map<String, Object> kafkaTopic = byTopic.get(topic);
            assertThat(kafkaTopic).as("KafkaTopic for %s", topic).isNotNull();
            assertThat(at(kafkaTopic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(cluster);
            assertThat(at(kafkaTopic, "spec", "partitions")).isEqualTo(partitions);
            int replicas = ((Number) at(kafkaTopic, "spec", "replicas")).intValue();
            assertThat(replicas).isBetween(2, brokers);
            Object minIsr = at(kafkaTopic, "spec", "config", "min.insync.replicas");
            assertThat(minIsr == null ? 1 : ((Number) minIsr).intValue()).as("an acks=all write survives a broker loss")
                    .isLessThan(replicas);
        })).toList();
    }

    @Test
    void noKafkaTopicIsWrittenForATopicTheServicesDoNotUse() {
        Set<String> known = Repository.topicsAndDeadLetters();
        assertThat(prod.kind("KafkaTopic")).extracting(t -> String.valueOf(at(t, "spec", "topicName"))).allMatch(known::contains);
        assertThat(Topic.DEAD_LETTER_SUFFIX).isEqualTo("-dlt");
    }

    @TestFactory
    List<DynamicTest> prodGivesEveryServiceItsOwnCloudNativePgClusterAndReadsItsGeneratedSecret() {
        return perService((service, module) -> {
            Map<String, Object> cluster = prod.named("Cluster", service + "-db");
            assertThat(at(cluster, "apiVersion")).asString().startsWith("postgresql.cnpg.io/");
            assertThat(at(cluster, "spec", "bootstrap", "initdb", "database")).isEqualTo(ownDatabase(module));
            assertThat(Integer.parseInt(String.valueOf(at(cluster, "spec", "postgresql", "parameters", "max_prepared_transactions"))))
                    .as("two-phase commit needs prepared transactions").isPositive();
            assertThat(((Number) at(cluster, "spec", "instances")).intValue()).isGreaterThanOrEqualTo(2);
            Map<String, String> secretKeys = databaseSecretKeys(base.named("Deployment", service));
            assertThat(secretKeys).as("database settings from CloudNativePG's generated secret")
                    .isEqualTo(Map.of("BULWARK_DB_URL", service + "-db-app/jdbc-uri", "BULWARK_DB_USER", service + "-db-app/username",
                            "BULWARK_DB_PASSWORD", service + "-db-app/password"));
        });
    }

    private static Map<String, String> databaseSecretKeys(Map<String, Object> deployment) {
        Map<String, String> refs = new LinkedHashMap<>();
        Repository.list(container(deployment), "env").stream().filter(e -> String.valueOf(at(e, "name")).startsWith("BULWARK_DB_"))
                .forEach(e -> refs.put(String.valueOf(at(e, "name")), at(e, "valueFrom", "secretKeyRef", "name") + "/"
                        + at(e, "valueFrom", "secretKeyRef", "key")));
        return refs;
    }

    // --- dev ------------------------------------------------------------------------------------

    @TestFactory
    List<DynamicTest> devGeneratesTheSecretsTheDeploymentsReadForItsOwnDatabaseAndBroker() {
        Map<String, Object> postgres = dev.named("StatefulSet", "postgres");
        String init = String.valueOf(at(dev.named("ConfigMap", "postgres-init"), "data", "init.sql"));
        List<?> args = (List<?>) at(container(postgres), "args");
        assertThat(args.stream().map(String::valueOf).filter(a -> a.startsWith("max_prepared_transactions=")).findFirst()
                .map(a -> Integer.parseInt(a.substring(a.indexOf('=') + 1)))).hasValueSatisfying(v -> assertThat(v).isPositive());
        String devKafka = name(dev.kind("Service").stream().filter(s -> "kafka".equals(at(s, "spec", "selector", "app.kubernetes.io/name")))
                .findFirst().orElseThrow()) + ":9092";
        assertThat(String.valueOf(Repository.list(Repository.map(Repository.map(Repository.map(dev.named("StatefulSet", "kafka"), "spec"),
                "template"), "spec"), "containers"))).contains("PLAINTEXT://" + devKafka).contains("broker,controller");
        return perService((service, module) -> {
            Map<String, String> secret = dev.generated("secretGenerator", service + "-db-app");
            assertThat(secret).containsOnlyKeys("jdbc-uri", "username", "password");
            URI jdbc = URI.create(secret.get("jdbc-uri").substring("jdbc:".length()));
            assertThat(at(dev.named("Service", jdbc.getHost()), "spec", "selector"))
                    .isEqualTo(at(postgres, "spec", "selector", "matchLabels"));
            assertThat(jdbc.getPath()).isEqualTo("/" + ownDatabase(module));
            assertThat(init).contains("CREATE DATABASE " + ownDatabase(module) + ";");
            assertThat(at(postgres, "spec", "template", "spec", "containers")).asString()
                    .contains("POSTGRES_USER, value=" + secret.get("username"));
            assertThat(environment(base.named("Deployment", service), base.and(dev))).containsEntry("KAFKA_BOOTSTRAP_SERVERS", devKafka);
        });
    }

    @Test
    void devRunsOnePodPerServiceWithoutAutoscalers() {
        Map<String, Object> k = Repository.yaml("k8s/overlays/dev/kustomization.yaml");
        assertThat(Repository.list(k, "patches")).anyMatch(p -> "HorizontalPodAutoscaler".equals(at(p, "target", "kind"))
                && at(p, "target", "name") == null && String.valueOf(at(p, "patch")).contains("$patch: delete"));
        assertThat(Repository.list(k, "patches")).anyMatch(p -> String.valueOf(at(p, "patch")).contains("path: /spec/replicas")
                && String.valueOf(at(p, "patch")).contains("value: 1"));
        assertThat(Repository.read("k8s/overlays/dev/.gitignore")).as("dev keys are never committed").contains("keys/");
        assertThat(Repository.list(k, "secretGenerator")).anyMatch(g -> "jwt-signing-key".equals(at(g, "name")));
    }

    // --- network policies -----------------------------------------------------------------------

    @Test
    void theNamespaceDeniesEverythingByDefaultExceptDns() {
        Map<String, Object> deny = base.named("NetworkPolicy", "default-deny");
        assertThat(at(deny, "spec", "podSelector")).isEqualTo(Map.of());
        assertThat(((List<?>) at(deny, "spec", "policyTypes")).stream().map(String::valueOf)).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(at(deny, "spec", "ingress")).isNull();
        assertThat(at(deny, "spec", "egress")).isNull();
        Stream.of(base, dev, prod).flatMap(m -> m.kind("NetworkPolicy").stream()).forEach(policy -> {
            for (String direction : List.of("ingress", "egress")) {
                Repository.list(Repository.map(policy, "spec"), direction).forEach(rule -> {
                    boolean peers = at(rule, direction.equals("ingress") ? "from" : "to") != null;
                    boolean ports = at(rule, "ports") != null;
                    assertThat(peers || ports).as("%s of %s names peers or ports, never everything", direction, name(policy)).isTrue();
                });
            }
        });
    }

    @TestFactory
    List<DynamicTest> servicesAcceptOnlyTheIngressControllerPrometheusAndTheCallsTheDesignMakes() {
        return perService((service, module) -> {
            Map<String, Object> policy = base.named("NetworkPolicy", service);
            assertThat(at(policy, "spec", "podSelector", "matchLabels"))
                    .isEqualTo(at(base.named("Deployment", service), "spec", "selector", "matchLabels"));
            List<Object> ingress = Repository.list(Repository.map(policy, "spec"), "ingress");
            Set<String> sources = new HashSet<>();
            ingress.forEach(rule -> ((List<?>) at(rule, "from")).forEach(peer -> {
                String source = String.valueOf(at(peer, "namespaceSelector") != null
                        ? at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")
                        : at(peer, "podSelector", "matchLabels", "app.kubernetes.io/name"));
                sources.add(source);
                // Prometheus reaches the management port (open metrics) and nothing else; every
                // other caller reaches the service port only, never the management port.
                assertThat(String.valueOf(at(rule, "ports"))).as("ports %s may reach", source)
                        .isEqualTo(source.equals("monitoring") ? "[{port=management}]" : "[{port=http}]");
            }));
            Set<String> expected = new HashSet<>(Set.of("ingress-nginx", "monitoring", Repository.CONSOLE));
            if (!module.equals("player-core-service")) {
                expected.add("player-core");
            }
            assertThat(sources).as("who may call %s", service).isEqualTo(expected);
        });
    }

    @Test
    void playerCoreMayCallTheServicesItsGraphQlQueryReadsOnTheirPorts() {
        Map<String, Object> policy = base.named("NetworkPolicy", "player-core");
        Map<String, Object> calls = new LinkedHashMap<>();
        Repository.list(Repository.map(policy, "spec"), "egress").forEach(rule -> {
            Object target = at(((List<?>) at(rule, "to")).get(0), "podSelector", "matchLabels", "app.kubernetes.io/name");
            if (target != null) {
                calls.put(String.valueOf(target), at(((List<?>) at(rule, "ports")).get(0), "port"));
            }
        });
        Map<String, Object> expected = new LinkedHashMap<>();
        services().keySet().stream().filter(s -> !s.equals("player-core"))
                .forEach(s -> expected.put(s, Integer.parseInt(environment(s).get("SERVER_PORT"))));
        assertThat(calls).isEqualTo(expected);
    }

    /**
     * The services reach their database and broker by label; each overlay must put those labels
     * on its own infrastructure, on the port the services connect to, or the pods start and
     * never become ready.
     */
    @TestFactory
    List<DynamicTest> everyEgressLabelOfAServiceIsCarriedByTheOverlaysInfrastructure() {
        Map<String, List<Object>> infrastructure = Map.of(
                "dev", dev.kind("StatefulSet").stream().map(s -> at(s, "spec", "template", "metadata", "labels")).toList(),
                "prod", Stream.concat(
                        prod.kind("Cluster").stream().map(c -> at(c, "spec", "inheritedMetadata", "labels")),
                        prod.kind("KafkaNodePool").stream().map(p -> at(p, "spec", "template", "pod", "metadata", "labels")))
                        .toList());
        return infrastructure.entrySet().stream().flatMap(overlay -> services().keySet().stream()
                .map(service -> DynamicTest.dynamicTest(overlay.getKey() + " " + service, () -> Repository
                        .list(Repository.map(base.named("NetworkPolicy", service), "spec"), "egress").forEach(rule -> {
                            Map<?, ?> labels = (Map<?, ?>) at(((List<?>) at(rule, "to")).get(0), "podSelector", "matchLabels");
                            if (labels != null && !labels.containsKey("app.kubernetes.io/name")) {
                                assertThat(overlay.getValue()).as("%s infrastructure carrying %s", overlay.getKey(), labels)
                                        .anyMatch(l -> labelsMatch(labels, l));
                            }
                        }))))
                .toList();
    }

    @Test
    void prodInfrastructureUnderTheDefaultDenyAcceptsItsServicesAndOperators() {
        services().forEach((service, module) -> {
            Map<String, Object> policy = prod.named("NetworkPolicy", service + "-db");
            assertThat(at(policy, "spec", "podSelector", "matchLabels", "cnpg.io/cluster")).isEqualTo(service + "-db");
            Set<Object> clients = new HashSet<>();
            Set<Object> namespaces = new HashSet<>();
            Repository.list(Repository.map(policy, "spec"), "ingress").forEach(rule -> ((List<?>) at(rule, "from")).forEach(peer -> {
                Object app = at(peer, "podSelector", "matchLabels", "app.kubernetes.io/name");
                if (app != null) {
                    clients.add(app);
                }
                Object namespace = at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
                if (namespace != null) {
                    namespaces.add(namespace);
                }
            }));
            assertThat(clients).as("the only application reaching %s-db", service).containsExactly(service);
            assertThat(namespaces).as("the operator reaches its instances").contains("cnpg-system");
        });
        Map<String, Object> listener = ((List<?>) at(prod.kind("Kafka").get(0), "spec", "kafka", "listeners")).stream()
                .map(l -> Repository.map(Map.of("l", l), "l")).findFirst().orElseThrow();
        assertThat(String.valueOf(listener.get("networkPolicyPeers"))).as("only services and KEDA reach the listener")
                .contains("app.kubernetes.io/component=service").contains("keda");
        assertThat(prod.named("NetworkPolicy", "kafka-egress")).isNotNull();
    }

    // --- prod: the public entrance -------------------------------------------------------------

    private static final String CERT_MANAGER_ISSUER = "cert-manager.io/cluster-issuer";
    private static final String NGINX = "nginx.ingress.kubernetes.io/";

    private IngressRouting prodRouting() {
        return new IngressRouting(prod.kind("Ingress"));
    }

    private String prodHost() {
        List<String> hosts = prodRouting().routes().stream().map(IngressRouting.Route::host).distinct().toList();
        assertThat(hosts).as("one public host").hasSize(1);
        return hosts.get(0);
    }

    @TestFactory
    List<DynamicTest> theIngressSendsEveryPathAServiceServesToThatService() {
        IngressRouting routing = prodRouting();
        String host = prodHost();
        List<PublicApi.Endpoint> endpoints = PublicApi.endpoints();
        assertThat(endpoints).extracting(PublicApi.Endpoint::module).containsAll(Repository.serviceModules());
        return endpoints.stream().filter(endpoint -> !PublicApi.SHARED_WITH_ANOTHER_SERVICE.contains(endpoint))
                .map(endpoint -> DynamicTest.dynamicTest(endpoint.module() + " " + endpoint.path(), () -> {
            IngressRouting.Route route = routing.select(host, endpoint.sample())
                    .orElseThrow(() -> new AssertionError("no Ingress path routes " + endpoint.sample()));
            assertThat(services().get(route.service())).as("%s routes %s to", route.path(), endpoint.path()).isEqualTo(endpoint.module());
            assertThat(route.port()).as("the Service port named http").isEqualTo("http");
        })).toList();
    }

    @Test
    void handlerPathsJoinTheClassPrefixAndMarkEventStreams() {
        String source = """
                /**
                 * This class answers operators.
                 */
                @RestController
                @RequestMapping("/api/v1/admin/things")
                class ThingController {
                    @GetMapping
                    List<Thing> all() { return List.of(); }
                    @PostMapping("/{thingId}/retry")
                    void retry(@PathVariable UUID thingId) { }
                    @GetMapping(path = "/{thingId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
                    SseEmitter events(@PathVariable UUID thingId) { return null; }
                }
                """;
        assertThat(PublicApi.endpoints("m", source)).containsExactly(
                new PublicApi.Endpoint("m", "/api/v1/admin/things", false),
                new PublicApi.Endpoint("m", "/api/v1/admin/things/{thingId}/retry", false),
                new PublicApi.Endpoint("m", "/api/v1/admin/things/{thingId}/events", true));
        assertThat(PublicApi.endpoints("m", "@Controller\nclass Q {\n  @QueryMapping\n  Player me() { return null; }\n}"))
                .containsExactly(new PublicApi.Endpoint("m", "/graphql", false));
    }

    @Test
    void everyIngressPathLeadsToSomethingItsServiceServesAndNothingElseIsPublic() {
        IngressRouting routing = prodRouting();
        String host = prodHost();
        List<PublicApi.Endpoint> endpoints = PublicApi.endpoints();
        routing.routes().forEach(route -> {
            assertThat(services()).as("%s of %s names a service", route.path(), route.ingress()).containsKey(route.service());
            assertThat(endpoints).as("%s (%s) wins for a path %s serves", route.path(), route.ingress(), route.service())
                    .anyMatch(e -> e.module().equals(services().get(route.service()))
                            && routing.select(host, e.sample()).filter(route::equals).isPresent());
        });
        for (String path : List.of("/", "/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/actuator/circuitbreakers", "/actuator/env", "/v3/api-docs", "/swagger-ui.html")) {
            assertThat(routing.select(host, path)).as("%s is not reachable from outside", path).isEmpty();
        }
        assertThat(routing.routes()).noneMatch(r -> r.path().toLowerCase().contains("actuator"));
        assertThat(routing.routes()).as("Prefix and Exact paths pass ingress-nginx's strict path validation; the rest are"
                + " ImplementationSpecific").allMatch(r -> r.pathType().equals("ImplementationSpecific") || r.path().matches("/[A-Za-z0-9/_-]*"));
    }

    @Test
    void onlyTheChatStreamWaitsLongForDataAndPassesItUnbuffered() {
        IngressRouting routing = prodRouting();
        String host = prodHost();
        List<PublicApi.Endpoint> streams = PublicApi.endpoints().stream().filter(PublicApi.Endpoint::eventStream).toList();
        assertThat(streams).as("Server-Sent-Event endpoints").isNotEmpty();
        streams.forEach(stream -> {
            Map<String, Object> annotations = routing.select(host, stream.sample()).orElseThrow().annotations();
            assertThat(annotations).as("stream %s", stream.path()).containsEntry(NGINX + "proxy-buffering", "off");
            Duration heartbeat = duration(String.valueOf(find(Repository.yaml(stream.module() + "/src/main/resources/application.yaml"),
                    "heartbeat")));
            assertThat(Long.parseLong(String.valueOf(annotations.get(NGINX + "proxy-read-timeout"))))
                    .as("seconds the proxy waits for data on %s: a missed keep-alive does not cut the stream", stream.path())
                    .isGreaterThan(heartbeat.toSeconds() * 2);
        });
        PublicApi.endpoints().stream().filter(e -> !e.eventStream()).forEach(e -> assertThat(
                routing.select(host, e.sample()).orElseThrow().annotations().keySet())
                .as("%s keeps the controller's timeouts and buffering", e.path())
                .doesNotContain(NGINX + "proxy-buffering", NGINX + "proxy-read-timeout", NGINX + "proxy-send-timeout"));
    }

    private static Object find(Object node, String key) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey(key)) {
                return m.get(key);
            }
            return m.values().stream().map(v -> find(v, key)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        return null;
    }

    @Test
    void everyIngressServesItsHostsOverTlsFromOneCertManagerCertificate() {
        List<Map<String, Object>> ingresses = prod.kind("Ingress");
        assertThat(ingresses).isNotEmpty();
        Map<String, Long> issuedPerSecret = new LinkedHashMap<>();
        ingresses.forEach(ingress -> {
            assertThat(at(ingress, "spec", "ingressClassName")).as("class of %s", name(ingress)).isNotNull();
            Set<Object> covered = new HashSet<>();
            Repository.list(Repository.map(ingress, "spec"), "tls").forEach(tls -> {
                assertThat(at(tls, "secretName")).as("TLS secret of %s", name(ingress)).isNotNull();
                covered.addAll((List<?>) at(tls, "hosts"));
                issuedPerSecret.merge(String.valueOf(at(tls, "secretName")),
                        at(ingress, "metadata", "annotations", CERT_MANAGER_ISSUER) != null ? 1L : 0L, Long::sum);
            });
            Repository.list(Repository.map(ingress, "spec"), "rules")
                    .forEach(rule -> assertThat(covered).as("TLS of %s", name(ingress)).contains(at(rule, "host")));
            assertThat(String.valueOf(at(ingress, "metadata", "annotations"))).as("no configuration snippets").doesNotContain("snippet");
        });
        assertThat(issuedPerSecret).as("exactly one Ingress asks cert-manager for each certificate")
                .allSatisfy((secret, issuers) -> assertThat(issuers).isEqualTo(1L));
        assertThat(prod.kind("NetworkPolicy")).as("the ingress controller reaches cert-manager's HTTP-01 solver pods")
                .anyMatch(policy -> "true".equals(at(policy, "spec", "podSelector", "matchLabels", "acme.cert-manager.io/http01-solver"))
                        && String.valueOf(at(policy, "spec", "ingress")).contains("kubernetes.io/metadata.name=ingress-nginx")
                        && String.valueOf(at(policy, "spec", "ingress")).contains("port=8089"));
    }

    @TestFactory
    List<DynamicTest> theIngressControllersPodsAloneReachTheRoutedServicesAndOnlyTheirHttpPort() {
        Set<String> routed = prodRouting().routes().stream().map(IngressRouting.Route::service).collect(Collectors.toSet());
        return perService((service, module) -> {
            assertThat(routed).as("%s is routed", service).contains(service);
            List<Object> admitting = Repository.list(Repository.map(base.named("NetworkPolicy", service), "spec"), "ingress").stream()
                    .filter(rule -> ((List<?>) at(rule, "from")).stream().anyMatch(peer -> "ingress-nginx".equals(
                            at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"))))
                    .toList();
            assertThat(admitting).as("rules of %s admitting the ingress controller", service).hasSize(1);
            Object rule = admitting.get(0);
            assertThat(String.valueOf(at(rule, "ports"))).isEqualTo("[{port=http}]");
            ((List<?>) at(rule, "from")).forEach(peer -> assertThat(at(peer, "podSelector", "matchLabels"))
                    .as("the controller's pods, not its whole namespace")
                    .isEqualTo(Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller")));
            assertThat(Repository.list(Repository.map(base.named("Service", service), "spec"), "ports"))
                    .as("the port the Ingress names leads to the container port the policy opens")
                    .anyMatch(p -> "http".equals(at(p, "name")) && "http".equals(at(p, "targetPort")));
        });
    }

    // --- prod: backups --------------------------------------------------------------------------

    private static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
    private static final Pattern DAILY = Pattern.compile("\\d{1,2} \\d{1,2} \\d{1,2} \\* \\* \\*");

    @TestFactory
    List<DynamicTest> everyDatabaseClusterArchivesItsWalAndIsBackedUpDailyToObjectStorage() {
        String readme = Repository.read("README.md");
        Set<String> destinations = new HashSet<>();
        return perService((service, module) -> {
            Map<String, Object> cluster = prod.named("Cluster", service + "-db");
            Object archiver = Repository.list(Repository.map(cluster, "spec"), "plugins").stream()
                    .filter(p -> BARMAN_PLUGIN.equals(at(p, "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(name(cluster) + " has no " + BARMAN_PLUGIN));
            assertThat(at(archiver, "isWALArchiver")).as("%s archives its WAL continuously", name(cluster)).isEqualTo(true);
            Map<String, Object> store = prod.named("ObjectStore", String.valueOf(at(archiver, "parameters", "barmanObjectName")));
            String destination = String.valueOf(at(store, "spec", "configuration", "destinationPath"));
            assertThat(destination).startsWith("s3://");
            Object serverName = at(archiver, "parameters", "serverName");
            assertThat(destinations.add(destination + (serverName != null ? serverName : name(cluster))))
                    .as("%s backs up to a folder of its own", name(cluster)).isTrue();
            assertThat(String.valueOf(at(store, "spec", "retentionPolicy"))).as("a recovery window").matches("[1-9][0-9]*[dwm]");
            for (String credential : List.of("accessKeyId", "secretAccessKey")) {
                Object secret = at(store, "spec", "configuration", "s3Credentials", credential, "name");
                Object key = at(store, "spec", "configuration", "s3Credentials", credential, "key");
                assertThat(readme).as("README creates the secret %s with %s", secret, key)
                        .contains("kubectl create secret generic " + secret).contains("--from-literal=" + key + "=");
            }
            URI endpoint = URI.create(String.valueOf(at(store, "spec", "configuration", "endpointURL")));
            int port = endpoint.getPort() != -1 ? endpoint.getPort() : endpoint.getScheme().equals("https") ? 443 : 80;
            assertThat(Repository.list(Repository.map(prod.named("NetworkPolicy", service + "-db"), "spec"), "egress"))
                    .as("%s's instances may reach the object store on %s", name(cluster), port)
                    .anyMatch(rule -> at(rule, "to") == null && String.valueOf(at(rule, "ports")).contains("port=" + port + "}"));
            List<Map<String, Object>> schedules = prod.kind("ScheduledBackup").stream()
                    .filter(b -> name(cluster).equals(at(b, "spec", "cluster", "name"))).toList();
            assertThat(schedules).as("ScheduledBackups of %s", name(cluster)).hasSize(1);
            Map<String, Object> schedule = schedules.get(0);
            assertThat(at(schedule, "spec", "method")).isEqualTo("plugin");
            assertThat(at(schedule, "spec", "pluginConfiguration", "name")).isEqualTo(BARMAN_PLUGIN);
            assertThat(String.valueOf(at(schedule, "spec", "schedule"))).as("daily, with CloudNativePG's seconds field").matches(DAILY);
        });
    }

    // --- monitoring -----------------------------------------------------------------------------

    @Test
    void prometheusScrapesEveryServicePodOnItsExposedEndpoint() {
        assertThat(String.valueOf(at(defaults, "management", "endpoints", "web", "exposure", "include"))).contains("prometheus");
        Map<String, Object> monitor = prod.named("PodMonitor", "bulwark-services");
        Object endpoint = ((List<?>) at(monitor, "spec", "podMetricsEndpoints")).get(0);
        assertThat(at(endpoint, "port")).as("the management port, where metrics are open").isEqualTo("management");
        assertThat(at(endpoint, "path")).isEqualTo("/actuator/prometheus");
        services().keySet().forEach(service -> assertThat(labelsMatch(at(monitor, "spec", "selector", "matchLabels"),
                at(base.named("Deployment", service), "spec", "template", "metadata", "labels"))).as("scrapes %s", service).isTrue());
    }

    @Test
    void alertsQueryOnlyDocumentedMetricsAndPageForMoneyAtRisk() {
        Set<String> documented = MetricsContract.documented();
        Map<String, String> severityByMetric = new LinkedHashMap<>();
        List<Object> rules = prod.kind("PrometheusRule").stream()
                .flatMap(r -> Repository.list(Repository.map(r, "spec"), "groups").stream())
                .flatMap(g -> Repository.list(Repository.map(Map.of("g", g), "g"), "rules").stream()).toList();
        assertThat(rules).isNotEmpty();
        rules.forEach(rule -> {
            String expr = String.valueOf(at(rule, "expr"));
            Set<String> names = MetricsContract.metricNames(expr);
            assertThat(names).as("metrics of alert %s", at(rule, "alert")).isNotEmpty()
                    .allSatisfy(n -> assertThat(documented).contains(MetricsContract.family(n)));
            assertThat(at(rule, "labels", "severity")).isIn("warning", "critical");
            assertThat(String.valueOf(at(rule, "annotations", "summary"))).isNotBlank();
            names.forEach(n -> severityByMetric.put(n, String.valueOf(at(rule, "labels", "severity"))));
        });
        assertThat(severityByMetric).containsEntry("bulwark_ledger_audit_drift", "critical")
                .containsEntry("bulwark_sagas_stuck", "critical")
                .containsEntry("bulwark_twophase_prepared_oldest_age_seconds", "critical").containsKeys("kafka_consumergroup_lag", "bulwark_outbox_oldest_age_seconds")
                .containsEntry("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp", "critical")
                .containsEntry("cnpg_pg_stat_archiver_last_failed_time", "critical");
        assertThat(at(prod.kind("Kafka").get(0), "spec", "kafkaExporter")).as("lag metrics in the cluster too").isNotNull();
    }

    @Test
    void singleInstanceJobsNeedNoReplicaCountBecauseTheyTakeAnAdvisoryLockOrALease() {
        assertThat(Repository.read("platform/src/main/java/dev/bulwark/platform/messaging/SingleInstance.java"))
                .contains("pg_try_advisory_xact_lock");
        assertThat(Repository.read("platform/src/main/java/dev/bulwark/platform/messaging/OutboxRelay.java"))
                .as("the relay runs once per database, under a lease").contains("outbox_relay_lease");
        List<Map<String, Object>> all = new ArrayList<>(base.kind("Deployment"));
        all.forEach(d -> assertThat(Repository.map(d, "spec")).as("no fixed replica count in the base").doesNotContainKey("replicas"));
    }

    @Test
    void theConsoleCallsOnlyTheThreeServicesOnTheirPortsAndIsNotOnThePublicIngress() {
        Map<String, Object> deployment = base.named("Deployment", Repository.CONSOLE);
        assertThat(String.valueOf(at(container(deployment), "image"))).endsWith("/" + Repository.CONSOLE + ":latest");
        Map<String, String> env = environment(deployment, base);
        String configuration = Repository.read("console/src/main/resources/application.yaml");
        assertThat(Repository.placeholders(configuration).keySet()).as("the console reads every name it is given")
                .containsAll(env.keySet().stream().filter(name -> !name.equals("JAVA_TOOL_OPTIONS")).toList());
        assertThat(port(container(deployment), "http"))
                .isEqualTo(Integer.parseInt(Repository.defaultOf(configuration, "SERVER_PORT").orElseThrow()));
        Map<String, Object> calls = new LinkedHashMap<>();
        Repository.list(Repository.map(base.named("NetworkPolicy", Repository.CONSOLE), "spec"), "egress").forEach(rule ->
                calls.put(String.valueOf(at(((List<?>) at(rule, "to")).get(0), "podSelector", "matchLabels",
                        "app.kubernetes.io/name")), at(((List<?>) at(rule, "ports")).get(0), "port")));
        Map<String, Object> expected = new LinkedHashMap<>();
        services().forEach((service, module) -> {
            int own = Integer.parseInt(Repository.defaultOf(Repository.serviceConfiguration(module), "SERVER_PORT").orElseThrow());
            expected.put(service, own);
            String variable = switch (module) {
                case "player-core-service" -> "BULWARK_PLAYER_CORE_URL";
                case "game-economy-service" -> "BULWARK_ECONOMY_URL";
                default -> "BULWARK_SOCIAL_URL";
            };
            assertThat(env).containsEntry(variable, "http://" + service + ":" + own);
        });
        assertThat(calls).as("the console's egress: the services, nothing else").isEqualTo(expected);
        assertThat(Stream.of(base, dev, prod).flatMap(m -> m.kind("Ingress").stream()).map(String::valueOf))
                .as("operators reach the console by port-forward, not through the public ingress")
                .noneMatch(ingress -> ingress.contains("name=" + Repository.CONSOLE));
    }
}
