package dev.bulwark.platform.messaging;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Modulith marks a publication FAILED when Kafka refused or timed out, and retries nothing on
 * its own. This sends failed publications again on a schedule, from one instance at a time.
 * Only FAILED ones are taken: resubmitting in-flight ones would duplicate them.
 */
public class OutboxResubmitter {

    private static final Logger log = LoggerFactory.getLogger(OutboxResubmitter.class);

    private final FailedEventPublications failed;
    private final SingleInstance singleInstance;
    private final Duration minAge;

    public OutboxResubmitter(FailedEventPublications failed, SingleInstance singleInstance, Duration minAge) {
        this.failed = failed;
        this.singleInstance = singleInstance;
        this.minAge = minAge;
    }

    @Scheduled(fixedDelayString = "${bulwark.outbox.resubmit-interval}", initialDelayString = "${bulwark.outbox.resubmit-interval}")
    public void resubmitFailed() {
        try {
            singleInstance.runIfFree("outbox-resubmit",
                    () -> failed.resubmit(ResubmissionOptions.defaults().withMinAge(minAge).withBatchSize(500)));
        }
        catch (RuntimeException e) {
            log.warn("Outbox resubmission did not run: {}", e.toString());
        }
    }
}
