package dev.bulwark.economy.ledger;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.economy.ledger.PlayerState.HoldState;
import dev.bulwark.economy.ledger.PlayerState.HoldStatus;
import dev.bulwark.economy.sharding.Shard;
import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;

/**
 * Reads of one player's economy rows: the projections and the ledger. Every method takes the
 * player id and goes through {@link Shards}; writes go through {@link Ledger}.
 */
@Component
public class PlayerStore {

    private final Shards shards;

    PlayerStore(Shards shards) {
        this.shards = shards;
    }

    public record Wallet(UUID playerId, Map<Currency, Long> balances, Map<Currency, Long> held, long lastSequence) {
    }

    public record Hold(UUID holdId, Currency currency, long amount, HoldStatus status, String reason) {
    }

    public Optional<Wallet> wallet(UUID playerId) {
        Shard shard = shards.forPlayer(playerId);
        return shard.read(() -> shard
                .sql("SELECT gold, gem, held_gold, held_gem, last_sequence FROM wallet WHERE player_id = :player")
                .param("player", playerId)
                .query((rs, n) -> new Wallet(playerId,
                        amounts(rs.getLong("gold"), rs.getLong("gem")),
                        amounts(rs.getLong("held_gold"), rs.getLong("held_gem")),
                        rs.getLong("last_sequence")))
                .optional());
    }

    /** Items with a positive quantity, by item id. */
    public List<ItemQuantity> inventory(UUID playerId) {
        Shard shard = shards.forPlayer(playerId);
        return shard.read(() -> shard
                .sql("SELECT item_id, quantity FROM inventory_item WHERE player_id = :player ORDER BY item_id")
                .param("player", playerId)
                .query((rs, n) -> new ItemQuantity(rs.getString("item_id"), rs.getLong("quantity")))
                .list());
    }

    public long itemQuantity(UUID playerId, String itemId) {
        return shards.forPlayer(playerId)
                .sql("SELECT quantity FROM inventory_item WHERE player_id = :player AND item_id = :item")
                .param("player", playerId).param("item", itemId)
                .query(Long.class).optional().orElse(0L);
    }

    public Optional<Hold> hold(UUID playerId, UUID holdId) {
        return shards.forPlayer(playerId)
                .sql("SELECT currency, amount, status, reason FROM hold WHERE player_id = :player AND hold_id = :hold")
                .param("player", playerId).param("hold", holdId)
                .query((rs, n) -> new Hold(holdId, Currency.valueOf(rs.getString("currency")), rs.getLong("amount"),
                        HoldStatus.valueOf(rs.getString("status")), rs.getString("reason")))
                .optional();
    }

    /** Ledger events after a position, in order. */
    public List<StoredEvent> events(UUID playerId, long after, int limit) {
        return shards.forPlayer(playerId).read(() -> eventsBetween(playerId, after, Long.MAX_VALUE, limit));
    }

    List<StoredEvent> eventsBetween(UUID playerId, long after, long atMost, int limit) {
        return shards.forPlayer(playerId).sql("""
                SELECT sequence, event_id, type, occurred_at, payload::text AS payload FROM ledger_event
                WHERE player_id = :player AND sequence > :after AND sequence <= :atMost
                ORDER BY sequence LIMIT :limit""")
                .param("player", playerId).param("after", after).param("atMost", atMost).param("limit", limit)
                .query((rs, n) -> new StoredEvent(rs.getLong("sequence"), rs.getObject("event_id", UUID.class),
                        rs.getString("type"), rs.getTimestamp("occurred_at").toInstant(),
                        Contracts.MAPPER.readTree(rs.getString("payload"))))
                .list();
    }

    /** The projection rows read back as a state (open holds only, as in the fold), to compare with a replay. */
    public Optional<PlayerState> projection(UUID playerId) {
        return shards.forPlayer(playerId).readOnly(() -> wallet(playerId).map(wallet -> {
            Map<UUID, HoldState> holds = new HashMap<>();
            shards.forPlayer(playerId).sql("SELECT hold_id, currency, amount, status FROM hold WHERE player_id = :player AND status = 'PLACED'")
                    .param("player", playerId)
                    .query(rs -> {
                        holds.put(rs.getObject("hold_id", UUID.class), new HoldState(
                                Currency.valueOf(rs.getString("currency")), rs.getLong("amount"),
                                HoldStatus.valueOf(rs.getString("status"))));
                    });
            Map<String, Long> items = new HashMap<>();
            inventory(playerId).forEach(i -> items.put(i.itemId(), i.quantity()));
            return new PlayerState(wallet.lastSequence(), wallet.balances(), wallet.held(), holds, items);
        }));
    }

    private static Map<Currency, Long> amounts(long gold, long gem) {
        Map<Currency, Long> amounts = new EnumMap<>(Currency.class);
        amounts.put(Currency.GOLD, gold);
        amounts.put(Currency.GEM, gem);
        return amounts;
    }
}
