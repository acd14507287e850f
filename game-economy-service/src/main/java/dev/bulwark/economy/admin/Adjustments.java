package dev.bulwark.economy.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.bulwark.economy.ledger.Ledger;
import dev.bulwark.economy.movement.MovementRefusal;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.economy.movement.Movements;
import dev.bulwark.economy.movement.Movements.Change;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.economy.AdjustmentApplied;

/**
 * Operator corrections and clawbacks of spendable currency and items. The ledger event and the
 * admin audit log row commit together; nothing goes below zero (held funds are not touched:
 * they belong to a running saga).
 */
@Service
public class Adjustments {

    public record Applied(UUID adjustmentId, UUID playerId, long ledgerSequence) {
    }

    private final Ledger ledger;
    private final Movements movements;
    private final Shards shards;
    private final Clock clock;

    Adjustments(Ledger ledger, Movements movements, Shards shards, Clock clock) {
        this.ledger = ledger;
        this.movements = movements;
        this.shards = shards;
        this.clock = clock;
    }

    public Applied apply(UUID playerId, String adminId, Change change, String reason) {
        return ledger.write(playerId, () -> applyLocked(playerId, adminId, change, reason));
    }

    private Applied applyLocked(UUID playerId, String adminId, Change change, String reason) {
        Ledger.Stream stream = ledger.lock(playerId).orElseThrow(MovementRefusal::walletNotFound);
        movements.checkCanGive(stream, change.outgoing());
        movements.checkCanReceive(stream, change.incoming());
        UUID adjustmentId = UUID.randomUUID();
        AdjustmentApplied event = new AdjustmentApplied(playerId, adjustmentId, adminId, change.currency(),
                change.items(), reason);
        long sequence = stream.append(event).sequence();
        shards.forPlayer(playerId).sql("""
                INSERT INTO admin_audit_log (admin_id, player_id, action, reason, payload, ledger_sequence, at)
                VALUES (:admin, :player, 'ADJUSTMENT', :reason, CAST(:payload AS jsonb), :seq, :at)""")
                .param("admin", adminId).param("player", playerId).param("reason", reason)
                .param("payload", Contracts.MAPPER.writeValueAsString(event)).param("seq", sequence)
                .param("at", Timestamp.from(clock.instant())).update();
        return new Applied(adjustmentId, playerId, sequence);
    }

    /** An operator's change as the admin audit log keeps it; {@code adminId} names the operator. */
    public record AuditEntry(long id, String adminId, String action, String reason, long ledgerSequence, Instant at) {
    }

    /** The player's admin audit log, newest first. */
    public List<AuditEntry> auditLog(UUID playerId, int limit) {
        return shards.forPlayer(playerId).sql("""
                SELECT id, admin_id, action, reason, ledger_sequence, at FROM admin_audit_log
                WHERE player_id = :player ORDER BY at DESC, id DESC LIMIT :limit""")
                .param("player", playerId).param("limit", limit)
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getString("admin_id"), rs.getString("action"),
                        rs.getString("reason"), rs.getLong("ledger_sequence"), rs.getTimestamp("at").toInstant()))
                .list();
    }
}
