package dev.bulwark.testsupport.checker;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every operation the clients of a run tried, in the order they began; shared by all clients. */
public final class History {

    private final Queue<Operation> operations = new ConcurrentLinkedQueue<>();

    /** Starts an operation that changes one player's holdings; see {@link Operation} for the arguments. */
    public Operation begin(String kind, String key, UUID player, String ledgerType, String idField,
            Map<String, Long> effect) {
        return beginAcross(kind, key, player, ledgerType, idField, Map.of(player, effect));
    }

    /** As above, for one that changes several players' holdings (a transfer), recorded in {@code player}'s ledger. */
    public Operation beginAcross(String kind, String key, UUID player, String ledgerType, String idField,
            Map<UUID, Map<String, Long>> effects) {
        Operation operation = new Operation(kind, key, player, ledgerType, idField, effects);
        operations.add(operation);
        return operation;
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
