package dev.bulwark.testsupport.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One logical operation a client tried, under one Idempotency-Key, with every attempt it made.
 * Made by {@link History#begin}; thread-safe.
 */
public final class Operation {

    private final String kind;
    private final String key;
    private final UUID player;
    private final String ledgerType;
    private final String idField;
    private final Map<UUID, Map<String, Long>> effects;
    private final List<Attempt> attempts = new ArrayList<>();
    private String acknowledgedAs;

    /**
     * @param kind       a label for reports: {@code purchase potion-pack}
     * @param player     whose ledger the operation lands in
     * @param ledgerType the ledger event that records it: {@code PurchaseCompleted}
     * @param idField    the field that names the operation both in the acknowledgement and in that
     *                   event's payload: {@code purchaseId} (for loot {@code dropId}, the key itself)
     * @param effects    what it changes if applied, per player and asset ({@code GOLD}, {@code GEM}
     *                   or an item id), as the client expects: a potion-pack is GOLD −50, potion +5
     */
    Operation(String kind, String key, UUID player, String ledgerType, String idField,
            Map<UUID, Map<String, Long>> effects) {
        this.kind = kind;
        this.key = key;
        this.player = player;
        this.ledgerType = ledgerType;
        this.idField = idField;
        this.effects = Map.copyOf(effects);
    }

    public String kind() {
        return kind;
    }

    public String key() {
        return key;
    }

    public UUID player() {
        return player;
    }

    public String ledgerType() {
        return ledgerType;
    }

    public String idField() {
        return idField;
    }

    public Map<UUID, Map<String, Long>> effects() {
        return effects;
    }

    /** Records an attempt that got no acknowledgement (refused or unknown). */
    public synchronized void record(Attempt attempt) {
        if (attempt.outcome() == Outcome.ACKNOWLEDGED) {
            throw new IllegalArgumentException("An acknowledgement carries the operation's id: use acknowledged(..)");
        }
        attempts.add(attempt);
    }

    /** Records the acknowledgement, with the id from its body (the {@link #idField()}). */
    public synchronized void acknowledged(Attempt attempt, String id) {
        if (attempt.outcome() != Outcome.ACKNOWLEDGED) {
            throw new IllegalArgumentException("Not an acknowledgement: " + attempt);
        }
        attempts.add(attempt);
        acknowledgedAs = id;
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The id the acknowledgement named, or null. */
    public synchronized String acknowledgedAs() {
        return acknowledgedAs;
    }

    /** Acknowledged if any attempt was; else unknown if any attempt was; else refused. */
    public synchronized Outcome outcome() {
        if (acknowledgedAs != null) {
            return Outcome.ACKNOWLEDGED;
        }
        return attempts.stream().anyMatch(a -> a.outcome() == Outcome.UNKNOWN) ? Outcome.UNKNOWN : Outcome.REFUSED;
    }
}
