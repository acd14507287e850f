package dev.bulwark.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One region's copy of one guild's chat, with a causal-delivery buffer: a message arriving before
 * what it depends on waits until that is delivered (Birman–Schiper–Stephenson causal broadcast),
 * so a reply is never shown before what it answers. Duplicates are ignored. What is shown is the
 * delivered messages in {@link ChatMessage#DISPLAY_ORDER}: the same list in every region that has
 * delivered the same messages, whatever order they arrived in.
 *
 * <p>Mutable, not thread-safe: the service keeps one per guild under its own lock or transaction.
 */
public final class CausalChat {

    private final String replica;
    private VersionVector delivered = VersionVector.EMPTY;
    private final List<ChatMessage> shown = new ArrayList<>();
    private final Map<Id, ChatMessage> pending = new LinkedHashMap<>();

    public CausalChat(String replica) {
        this.replica = replica;
    }

    /** Writes a message here: it depends on everything delivered here so far. */
    public ChatMessage post(String author, String body, long sentAt) {
        ChatMessage message = new ChatMessage(replica, delivered.increment(replica), sentAt, author, body);
        deliver(message);
        return message;
    }

    /** Takes a message from another region (or a repeat); returns those delivered now, in delivery order. */
    public List<ChatMessage> receive(ChatMessage message) {
        if (delivered.covers(message.origin(), message.sequence())) {
            return List.of();
        }
        pending.putIfAbsent(key(message), message);
        List<ChatMessage> now = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (ChatMessage candidate : List.copyOf(pending.values())) {
                if (deliverable(candidate, delivered)) {
                    pending.remove(key(candidate));
                    deliver(candidate);
                    now.add(candidate);
                    progress = true;
                }
            }
        }
        return now;
    }

    /**
     * Deliverable once it is the next message of its origin and everything else it depends on is
     * delivered.
     */
    static boolean deliverable(ChatMessage m, VersionVector delivered) {
        if (m.sequence() != delivered.get(m.origin()) + 1) {
            return false;
        }
        return m.clock().counters().entrySet().stream()
                .allMatch(e -> e.getKey().equals(m.origin()) || delivered.covers(e.getKey(), e.getValue()));
    }

    /** The delivered messages in display order. */
    public List<ChatMessage> shown() {
        return Collections.unmodifiableList(shown);
    }

    /** Messages received but waiting for what they depend on. */
    public List<ChatMessage> pending() {
        return List.copyOf(pending.values());
    }

    /** How many messages of each region are delivered here: what to tell a peer in anti-entropy. */
    public VersionVector delivered() {
        return delivered;
    }

    /** What a region that has delivered {@code theirs} lacks of what is delivered here, in causal order. */
    public List<ChatMessage> missingFrom(VersionVector theirs) {
        return shown.stream().filter(m -> !theirs.covers(m.origin(), m.sequence())).toList();
    }

    /** SHA-256 (hex) of the delivered messages, in display order. */
    public String digest() {
        Canonical c = Canonical.of("chat").number(shown.size());
        shown.forEach(m -> c.text(m.origin()).vector(m.clock()).number(m.sentAt()).text(m.author()).text(m.body()));
        return c.hex();
    }

    private void deliver(ChatMessage message) {
        delivered = delivered.merge(VersionVector.of(message.origin(), message.sequence()));
        int at = Collections.binarySearch(shown, message, ChatMessage.DISPLAY_ORDER);
        shown.add(at < 0 ? -at - 1 : at, message);
    }

    private record Id(String origin, long sequence) {
    }

    private static Id key(ChatMessage m) {
        return new Id(m.origin(), m.sequence());
    }
}
