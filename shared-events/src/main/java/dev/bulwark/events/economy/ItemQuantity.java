package dev.bulwark.events.economy;

/** A quantity of one catalog item, e.g. 5 × {@code potion}. */
public record ItemQuantity(String itemId, long quantity) {
}
