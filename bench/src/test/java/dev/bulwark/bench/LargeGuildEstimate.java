package dev.bulwark.bench;

import java.util.Locale;

/**
 * What one social shard holds for one very large guild, computed from the schema (V3, V4 of
 * social's migrations), PostgreSQL's storage layout and the chat's fan-out path (a post is one
 * transaction on the guild's shard; every instance holding streams of the guild then reads the
 * member ids and the new messages). Every figure below follows from the constants here.
 */
final class LargeGuildEstimate {

    static final int MEMBERS = 5_000;
    static final int MESSAGES_PER_SECOND = 50;
    /** Every member has a live stream open (the worst case the issue names). */
    static final int STREAMS = MEMBERS;
    /** Social instances holding streams of this guild (load-balanced SSE lands everywhere). */
    static final int INSTANCES = 4;
    /** Assumed mean chat line, UTF-8 bytes (the column allows 500 characters). */
    static final int TEXT_BYTES = 60;
    /** An SSE `message` event: id, event name and JSON (message id, author, text, time). */
    static final int EVENT_BYTES = 120 + TEXT_BYTES;

    private static final int PAGE = 8192;
    private static final int PAGE_HEADER = 24;
    private static final int LINE_POINTER = 4;
    private static final int TUPLE_HEADER = 24; // 23 bytes, aligned to 8
    private static final int INDEX_TUPLE_HEADER = 8;
    private static final double INDEX_FILL = 0.9; // B-tree leaves under ascending (guild_id, seq)

    private LargeGuildEstimate() {
    }

    static String table() {
        // guild_message: guild_id uuid, seq bigint, author_id uuid, text (1-byte varlena header), posted_at timestamptz (8-aligned)
        int messageTuple = align(align(TUPLE_HEADER + 16 + 8 + 16 + 1 + TEXT_BYTES) + 8);
        double messageHeap = (double) PAGE / Math.floor((PAGE - PAGE_HEADER) / (double) (messageTuple + LINE_POINTER));
        double messageIndex = (INDEX_TUPLE_HEADER + 16 + 8 + LINE_POINTER) / INDEX_FILL;
        double perMessage = messageHeap + messageIndex;
        long perDay = (long) MESSAGES_PER_SECOND * 86_400;
        // guild_member: guild_id, player_id uuid, role text ('MEMBER', 7 bytes), since timestamptz, position bigint;
        // indexes: the primary key (guild_id, player_id) and one-guild-per-player (player_id)
        int memberTuple = align(align(TUPLE_HEADER + 16 + 16 + 7) + 8 + 8);
        double perMember = memberTuple + LINE_POINTER + (INDEX_TUPLE_HEADER + 32 + LINE_POINTER) / INDEX_FILL
                + (INDEX_TUPLE_HEADER + 16 + LINE_POINTER) / INDEX_FILL;
        int shardQueriesPerMessage = 1 + 2 * INSTANCES; // the post's transaction; member ids and new messages per instance
        long memberRowsReadPerSecond = (long) MESSAGES_PER_SECOND * INSTANCES * MEMBERS;
        long eventsPerSecond = (long) MESSAGES_PER_SECOND * STREAMS;

        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n### One very large guild on its shard (computed)%n%n"
                        + "Assumptions: %,d members, %d messages/s all day, %,d live streams open on %d social instances, "
                        + "%d-byte chat lines on average, 8 KiB pages, B-tree leaves %.0f %% full.%n%n"
                        + "| what the guild's shard holds or does | figure | from |%n|---|---|---|%n",
                MEMBERS, MESSAGES_PER_SECOND, STREAMS, INSTANCES, TEXT_BYTES, 100 * INDEX_FILL));
        row(out, "rows", String.format(Locale.ROOT, "1 guild + %,d members + %,d messages/day", MEMBERS, perDay),
                "50 msg/s × 86,400 s; chat history has no retention yet, so it grows by that every day");
        row(out, "membership", String.format(Locale.ROOT, "%.2f MB", MEMBERS * perMember / 1e6),
                String.format(Locale.ROOT, "%.0f B per member: %d B tuple + primary key + one-guild index", perMember, memberTuple));
        row(out, "chat bytes per day (heap + primary key)", String.format(Locale.ROOT, "%.2f GB", perDay * perMessage / 1e9),
                String.format(Locale.ROOT, "%.0f B per message: %d B tuple (%.0f B of page) + %.0f B of index", perMessage,
                        messageTuple, messageHeap, messageIndex));
        row(out, "chat bytes per 30 days", String.format(Locale.ROOT, "%.1f GB", 30 * perDay * perMessage / 1e9), "without retention");
        row(out, "writes per message", "1 transaction: UPDATE guild (seq), INSERT message, NOTIFY",
                "the guild row is held for the transaction: posts of one guild are serial");
        row(out, "reads per message (fan-out on the shard)", String.format(Locale.ROOT,
                "%d queries, %,d member rows", shardQueriesPerMessage - 1, INSTANCES * MEMBERS),
                "each instance with streams of the guild reads its member ids and the new messages");
        row(out, "per second, this guild alone", String.format(Locale.ROOT, "%d transactions, %d queries, %,d member rows read",
                MESSAGES_PER_SECOND, MESSAGES_PER_SECOND * (shardQueriesPerMessage - 1), memberRowsReadPerSecond),
                "the member re-read dominates: caching member ids per instance (invalidated by the membership notices) would remove it");
        row(out, "fan-out per message (off the shard)", String.format(Locale.ROOT, "%,d SSE events", STREAMS),
                String.format(Locale.ROOT, "%,d events/s, %.0f MB/s from the instances (%d B each)", eventsPerSecond,
                        eventsPerSecond * (double) EVENT_BYTES / 1e6, EVENT_BYTES));
        return out.toString();
    }

    private static void row(StringBuilder out, String what, String figure, String from) {
        out.append("| ").append(what).append(" | ").append(figure).append(" | ").append(from).append(" |\n");
    }

    private static int align(int bytes) {
        return (bytes + 7) & ~7;
    }
}
