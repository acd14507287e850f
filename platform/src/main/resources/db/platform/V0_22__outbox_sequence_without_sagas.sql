-- Saga commands and replies are taken once, in any order, and are now published without a
-- per-aggregate sequence (Outbox.publishUnordered): their counter rows, one per saga ever run,
-- are never read again. What remains is one row per aggregate whose consumers apply it in
-- sequence (a player, a guild), which lives as long as the aggregate does.
DELETE FROM outbox_sequence o USING saga_participation p WHERE o.aggregate_id = p.saga_id::text;
