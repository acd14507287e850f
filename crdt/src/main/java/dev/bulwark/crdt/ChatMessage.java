package dev.bulwark.crdt;

import java.util.Comparator;
import java.util.Objects;

/**
 * A guild chat message as it travels between regions. {@code clock} counts the messages of the
 * guild's chat its writer had delivered, its own region's entry including this one: the message
 * depends on every message its clock covers, so a reply depends on what it answers.
 */
public record ChatMessage(String origin, VersionVector clock, long sentAt, String author, String body) {

    /**
     * The order every region shows: by how many messages the writer had seen (which grows along
     * causality, so it is a linear extension of the causal order), then time sent, then region.
     * Total: two messages of one region never have the same {@link VersionVector#sum()}.
     */
    public static final Comparator<ChatMessage> DISPLAY_ORDER = Comparator
            .comparingLong((ChatMessage m) -> m.clock().sum())
            .thenComparingLong(ChatMessage::sentAt)
            .thenComparing(ChatMessage::origin);

    public ChatMessage {
        Objects.requireNonNull(origin, "origin");
        if (clock.get(origin) < 1) {
            throw new IllegalArgumentException("a message counts itself in its origin's entry: " + clock);
        }
    }

    /** Its position among its region's messages (1, 2, …): with the origin, its identity. */
    public long sequence() {
        return clock.get(origin);
    }

    /** Whether it depends on {@code other} (other happened before it). */
    public boolean dependsOn(ChatMessage other) {
        return !other.equals(this) && clock.covers(other.origin, other.sequence());
    }
}
