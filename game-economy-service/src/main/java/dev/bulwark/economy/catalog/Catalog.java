package dev.bulwark.economy.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.bulwark.economy.sharding.Shards;
import dev.bulwark.events.Contracts;
import dev.bulwark.events.economy.Currency;
import dev.bulwark.events.economy.ItemQuantity;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Items and offers, seeded by migration; reference data that every shard carries. Read once and
 * kept until {@link CatalogChanges} says the tables changed, since every purchase, grant and
 * transfer asks for it.
 */
@Component
public class Catalog {

    private record Copy(long generation, List<Item> items, Map<String, Item> itemsById, List<Offer> offers,
            Map<String, Offer> offersById) {
    }

    private final Shards shards;
    private final CatalogChanges changes;
    private volatile Copy copy;

    Catalog(Shards shards, CatalogChanges changes) {
        this.shards = shards;
        this.changes = changes;
    }

    /** The cached copy if no change was heard since it was read; a copy read meanwhile counts as stale. */
    private Copy current() {
        Copy cached = copy;
        long generation = changes.generation();
        if (cached != null && cached.generation() == generation && changes.listening()) {
            return cached;
        }
        List<Item> items = readItems();
        List<Offer> offers = readOffers();
        Copy fresh = new Copy(generation, items,
                items.stream().collect(Collectors.toUnmodifiableMap(Item::itemId, Function.identity())), offers,
                offers.stream().collect(Collectors.toUnmodifiableMap(Offer::offerId, Function.identity())));
        copy = fresh;
        return fresh;
    }

    @Schema(description = "A kind of item. Non-stackable items have maxStack 1; untradable ones are soulbound")
    public record Item(String itemId, String name, boolean stackable, int maxStack, boolean tradable) {
    }

    public record Price(Currency currency, long amount) {
    }

    public enum EffectType {
        /** Applied in the purchase's own transaction. */
        LOCAL,
        /** Carried out by another service through a saga. */
        REMOTE
    }

    /**
     * What one unit of an offer gives: items and currency (LOCAL), or an action another service
     * performs (REMOTE) with the purchase params it requires.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Effect(EffectType type, List<ItemQuantity> items, Map<Currency, Long> currency, String service,
            String action, List<String> params) {

        public List<ItemQuantity> items() {
            return items == null ? List.of() : items;
        }

        public Map<Currency, Long> currency() {
            return currency == null ? Map.of() : currency;
        }

        public List<String> params() {
            return params == null ? List.of() : params;
        }
    }

    public record Offer(String offerId, String name, Price price, Effect effect) {
    }

    public List<Item> items() {
        return current().items();
    }

    private List<Item> readItems() {
        return shards.reference()
                .sql("SELECT item_id, name, stackable, max_stack, tradable FROM catalog_item ORDER BY item_id")
                .query((rs, n) -> new Item(rs.getString("item_id"), rs.getString("name"), rs.getBoolean("stackable"),
                        rs.getInt("max_stack"), rs.getBoolean("tradable")))
                .list();
    }

    public Optional<Item> item(String itemId) {
        return Optional.ofNullable(current().itemsById().get(itemId));
    }

    public List<Offer> offers() {
        return current().offers();
    }

    private List<Offer> readOffers() {
        return shards.reference()
                .sql("SELECT offer_id, name, price_currency, price_amount, effect::text AS effect FROM offer ORDER BY position")
                .query((rs, n) -> new Offer(rs.getString("offer_id"), rs.getString("name"),
                        new Price(Currency.valueOf(rs.getString("price_currency")), rs.getLong("price_amount")),
                        Contracts.MAPPER.readValue(rs.getString("effect"), Effect.class)))
                .list();
    }

    public Optional<Offer> offer(String offerId) {
        return Optional.ofNullable(current().offersById().get(offerId));
    }
}
