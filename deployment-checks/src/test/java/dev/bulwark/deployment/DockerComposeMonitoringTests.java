package dev.bulwark.deployment;

import static dev.bulwark.deployment.Repository.at;
import static dev.bulwark.deployment.Repository.list;
import static dev.bulwark.deployment.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Prometheus, the Kafka exporter and Grafana in docker-compose.yml: what Prometheus scrapes must
 * be the compose services on their ports and paths, and what the dashboard queries must be
 * names docs/metrics.md promises, so a renamed metric breaks the build instead of a panel.
 */
class DockerComposeMonitoringTests {

    private final Map<String, Object> services = map(Repository.yaml("docker-compose.yml"), "services");
    private final Map<String, Object> prometheus = Repository.yaml("deploy/compose/prometheus/prometheus.yml");
    private final Map<String, Object> dashboard = Repository.yaml("k8s/monitoring/grafana/bulwark.json");

    private Map<String, Object> service(String name) {
        assertThat(services).as("compose service %s", name).containsKey(name);
        return map(services, name);
    }

    /**
     * Compose service → its management port (BULWARK_MANAGEMENT_PORT, where the actuator and the
     * open metrics are), for the services built from the repository.
     */
    private Map<String, String> managementPorts() {
        Map<String, String> ports = new LinkedHashMap<>();
        services.forEach((name, definition) -> {
            Object module = at(definition, "build", "args", "SERVICE");
            // The console exports no metrics of its own: what it shows is the services'.
            if (module != null && !Repository.CONSOLE.equals(module)) {
                ports.put(name, String.valueOf(at(definition, "environment", "BULWARK_MANAGEMENT_PORT")));
            }
        });
        return ports;
    }

    /** The container path a repository file or folder is mounted at in a service. */
    private String mountOf(String service, String repositoryPath) {
        return list(service(service), "volumes").stream().map(String::valueOf)
                .filter(v -> v.startsWith("./" + repositoryPath + ":")).map(v -> v.split(":")[1]).findFirst()
                .orElseThrow(() -> new AssertionError(service + " does not mount " + repositoryPath));
    }

    @Test
    void everyScrapeTargetIsAComposeServiceOnItsPortAndPath() {
        assertThat(String.valueOf(at(Repository.yaml("platform/src/main/resources/bulwark-platform-defaults.yaml"),
                "management", "endpoints", "web", "exposure", "include"))).contains("prometheus");
        Set<String> scraped = new HashSet<>();
        list(prometheus, "scrape_configs").forEach(job -> {
            String path = String.valueOf(at(job, "metrics_path") == null ? "/metrics" : at(job, "metrics_path"));
            list(map(Map.of("j", job), "j"), "static_configs").forEach(config -> ((List<?>) at(config, "targets")).forEach(target -> {
                String host = target.toString().substring(0, target.toString().indexOf(':'));
                String port = target.toString().substring(target.toString().indexOf(':') + 1);
                if (host.equals("localhost")) {
                    assertThat(port).as("Prometheus scraping itself").isEqualTo("9090");
                    return;
                }
                assertThat(services).as("scrape target %s", target).containsKey(host);
                if (managementPorts().containsKey(host)) {
                    assertThat(port).as("management port of %s", host).isEqualTo(managementPorts().get(host));
                    assertThat(path).isEqualTo("/actuator/prometheus");
                }
                scraped.add(host);
            }));
        });
        assertThat(scraped).containsAll(managementPorts().keySet()).contains("kafka-exporter");
    }

    @Test
    void theManagementPortsStayOnTheComposeNetwork() {
        managementPorts().forEach((name, port) -> {
            assertThat(port).as("%s has a management port of its own", name).isNotEqualTo("null")
                    .isNotEqualTo(String.valueOf(at(service(name), "environment", "SERVER_PORT")));
            assertThat(list(service(name), "ports")).map(String::valueOf).as("ports %s publishes", name)
                    .noneMatch(published -> published.contains(port));
        });
    }

    @Test
    void prometheusAndGrafanaReadTheRepositorysConfiguration() {
        String configFile = mountOf("prometheus", "deploy/compose/prometheus/prometheus.yml");
        assertThat(list(service("prometheus"), "command")).contains("--config.file=" + configFile);
        assertThat(mountOf("grafana", "deploy/compose/grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        String dashboards = mountOf("grafana", "k8s/monitoring/grafana");
        Map<String, Object> provider = Repository.yaml("deploy/compose/grafana/provisioning/dashboards/bulwark.yml");
        assertThat(at(list(provider, "providers").get(0), "options", "path")).isEqualTo(dashboards);
        assertThat(String.valueOf(at(service("grafana"), "environment", "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")))
                .isEqualTo(dashboards + "/bulwark.json");
        assertThat(String.valueOf(at(service("grafana"), "depends_on", "prometheus", "condition"))).isEqualTo("service_healthy");
    }

    @Test
    void grafanasDatasourceIsThePrometheusServiceAndEveryPanelUsesIt() {
        Object datasource = list(Repository.yaml("deploy/compose/grafana/provisioning/datasources/prometheus.yml"), "datasources").get(0);
        assertThat(at(datasource, "url")).isEqualTo("http://prometheus:9090");
        assertThat(list(service("prometheus"), "ports")).map(String::valueOf).contains("9090:9090");
        panels().forEach(panel -> assertThat(at(panel, "datasource", "uid")).as("datasource of %s", at(panel, "title"))
                .isEqualTo(at(datasource, "uid")));
    }

    @Test
    void theKafkaExporterReadsTheBrokerTheServicesUse() {
        String bootstrap = String.valueOf(at(service(managementPorts().keySet().iterator().next()), "environment",
                "KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(list(service("kafka-exporter"), "command")).contains("--kafka.server=" + bootstrap);
        assertThat(String.valueOf(at(service("kafka-exporter"), "depends_on", "kafka", "condition"))).isEqualTo("service_healthy");
    }

    @Test
    void dashboardQueriesReferenceOnlyMetricsDocumentedInTheContract() {
        Set<String> documented = MetricsContract.documented();
        List<String> expressions = expressions();
        assertThat(expressions).isNotEmpty();
        expressions.forEach(expr -> assertThat(MetricsContract.metricNames(expr)).as("metrics of %s", expr).isNotEmpty()
                .allSatisfy(name -> assertThat(documented).as("docs/metrics.md names %s (in %s)", name, expr)
                        .contains(MetricsContract.family(name))));
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksFor() {
        Set<String> queried = expressions().stream().flatMap(e -> MetricsContract.metricNames(e).stream())
                .map(MetricsContract::family).collect(Collectors.toSet());
        assertThat(queried).contains(
                "http_server_requests_seconds", // request rate and latency per endpoint
                "resilience4j_circuitbreaker_state", // breaker states
                "resilience4j_bulkhead_available_concurrent_calls", "resilience4j_bulkhead_max_allowed_concurrent_calls", // bulkheads
                "kafka_consumergroup_lag", // consumer lag
                "bulwark_outbox_backlog", // outbox backlog
                "bulwark_saga_outcomes_total", "bulwark_sagas_stuck", // saga outcomes, stuck sagas
                "bulwark_ledger_audit_drift"); // audit drift
        assertThat(expressions()).anyMatch(e -> e.contains("histogram_quantile(0.99") && e.contains("uri"))
                .anyMatch(e -> e.contains("http_server_requests_seconds_count") && e.contains("uri"));
    }

    @Test
    void theGaugesTheContractSaysThePlatformExportsAreRegisteredByThePlatform() {
        String platform = Repository.javaSources("platform/src/main/java/dev/bulwark/platform/observability")
                + Repository.javaSources("platform/src/main/java/dev/bulwark/platform/messaging")
                + Repository.javaSources("platform/src/main/java/dev/bulwark/platform/twophase");
        List<String> rows = Repository.read("docs/metrics.md").lines().filter(l -> l.contains("(platform")).toList();
        assertThat(rows).isNotEmpty();
        rows.forEach(row -> {
            String name = row.substring(row.indexOf('`') + 1, row.indexOf('`', row.indexOf('`') + 1));
            String meter = name.replaceFirst("_seconds$", "").replace('_', '.');
            assertThat(platform).as("the platform registers %s as %s", name, meter).contains("\"" + meter + "\"");
        });
    }

    private List<Object> panels() {
        return list(dashboard, "panels").stream().filter(p -> !"row".equals(at(p, "type"))).toList();
    }

    private List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        panels().forEach(p -> ((List<?>) at(p, "targets")).forEach(t -> expressions.add(String.valueOf(at(t, "expr")))));
        return expressions;
    }
}
