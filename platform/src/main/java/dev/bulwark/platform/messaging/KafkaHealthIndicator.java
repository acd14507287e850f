package dev.bulwark.platform.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness on Kafka: a service that cannot reach the broker still commits (the outbox holds
 * its messages) but should not be sent traffic that needs fresh projections. Never part of
 * liveness: a broker outage must not restart every pod.
 */
class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AdminClient admin;

    KafkaHealthIndicator(Map<String, Object> adminProperties) {
        Map<String, Object> props = new java.util.HashMap<>(adminProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = AdminClient.create(props);
    }

    @Override
    public Health health() {
        try {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
            String clusterId = cluster.clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
        }
        catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.down().withDetail("error", e.toString()).build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
