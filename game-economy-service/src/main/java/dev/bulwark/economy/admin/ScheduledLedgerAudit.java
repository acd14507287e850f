package dev.bulwark.economy.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.platform.messaging.SingleInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs the ledger audit on a schedule, so that {@code bulwark_ledger_audit_drift} and the alert on it mean something
 * without an operator calling {@code POST /api/v1/admin/audit}. One replica at a time runs it (an advisory lock); the
 * others keep NaN or their last value, which PromQL's {@code max} ignores or includes as it should.
 */
@Component
class ScheduledLedgerAudit {

    private static final Logger log = LoggerFactory.getLogger(ScheduledLedgerAudit.class);

    private final LedgerAudit audit;
    private final SingleInstance singleInstance;
    private final TransactionTemplate snapshot;
    private final Counter runs;

    ScheduledLedgerAudit(LedgerAudit audit, SingleInstance singleInstance, PlatformTransactionManager transactions,
            MeterRegistry meters) {
        this.audit = audit;
        this.singleInstance = singleInstance;
        // The lock's transaction is READ COMMITTED; the audit needs its own REPEATABLE READ snapshot, so that writes
        // landing while it reads cannot show as drift.
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        this.runs = Counter.builder("bulwark.ledger.audit.scheduled.runs")
                .description("Scheduled ledger audits this instance has completed").register(meters);
    }

    @Scheduled(initialDelayString = "${bulwark.economy.audit.initial-delay:1m}",
            fixedDelayString = "${bulwark.economy.audit.interval:15m}")
    void run() {
        try {
            singleInstance.runIfFree("ledger-audit", () -> {
                LedgerAudit.Report report = snapshot.execute(status -> audit.run());
                runs.increment();
                log.info("Scheduled ledger audit: {} players, {} events, drift {}",
                        report.players(), report.events(), report.drift());
            });
        } catch (RuntimeException e) {
            log.warn("Scheduled ledger audit did not complete: {}", e.toString());
        }
    }
}
