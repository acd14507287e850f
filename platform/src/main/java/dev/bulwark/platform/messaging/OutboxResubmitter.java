package dev.bulwark.platform.messaging;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Modulith marks a publication FAILED when Kafka refused or timed out, and retries nothing on
 * its own. This sends failed publications again on a schedule, from one instance at a time.
 * Only FAILED ones are taken: resubmitting in-flight ones would duplicate them.
 *
 * <p>Topics are created at start-up; when Kafka was unreachable then, they are created here
 * before the first resubmission, so a broker that appears later (a fresh cluster, a restored
 * one) gets our topics with their partition counts instead of broker defaults or none.
 */
public class OutboxResubmitter {

    private static final Logger log = LoggerFactory.getLogger(OutboxResubmitter.class);

    private final FailedEventPublications failed;
    private final SingleInstance singleInstance;
    private final Duration minAge;
    private final KafkaAdmin admin;
    private volatile boolean topicsCreated;

    public OutboxResubmitter(FailedEventPublications failed, SingleInstance singleInstance, Duration minAge,
            KafkaAdmin admin) {
        this.failed = failed;
        this.singleInstance = singleInstance;
        this.minAge = minAge;
        this.admin = admin;
    }

    @Scheduled(fixedDelayString = "${bulwark.outbox.resubmit-interval}", initialDelayString = "${bulwark.outbox.resubmit-interval}")
    public void resubmitFailed() {
        if (!topicsCreated) {
            topicsCreated = admin.initialize();
            if (!topicsCreated) {
                log.info("Kafka topics could not be checked or created yet; resubmitting anyway");
            }
        }
        try {
            singleInstance.runIfFree("outbox-resubmit",
                    () -> failed.resubmit(ResubmissionOptions.defaults().withMinAge(minAge).withBatchSize(500)));
        }
        catch (RuntimeException e) {
            log.warn("Outbox resubmission did not run: {}", e.toString());
        }
    }
}
