package dev.bulwark.economy.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs the ledger audit on a schedule, so that {@code bulwark_ledger_audit_drift} and the alert on it mean something
 * without an operator calling {@code POST /api/v1/admin/audit}. One audit runs at a time on any replica (the audit's
 * job lock); the others keep NaN or their last value, which PromQL's {@code max} ignores or includes as it should.
 * Each run is incremental: it costs the events since the previous one.
 */
@Component
class ScheduledLedgerAudit {

    private static final Logger log = LoggerFactory.getLogger(ScheduledLedgerAudit.class);

    private final LedgerAudit audit;
    private final Counter runs;

    ScheduledLedgerAudit(LedgerAudit audit, MeterRegistry meters) {
        this.audit = audit;
        this.runs = Counter.builder("bulwark.ledger.audit.scheduled.runs")
                .description("Scheduled ledger audits this instance has completed").register(meters);
    }

    @Scheduled(initialDelayString = "${bulwark.economy.audit.initial-delay:1m}",
            fixedDelayString = "${bulwark.economy.audit.interval:15m}")
    void run() {
        try {
            audit.runIfFree(false).ifPresent(report -> {
                runs.increment();
                log.info("Scheduled ledger audit: {} players, {} events, drift {}",
                        report.players(), report.events(), report.drift());
            });
        } catch (RuntimeException e) {
            log.warn("Scheduled ledger audit did not complete: {}", e.toString());
        }
    }
}
