-- The orchestrator's saga commands are published without a per-aggregate sequence now
-- (Outbox.publishUnordered) and ledger events carry their ledger position: nothing in the
-- economy reads outbox_sequence any more. Its rows were one per saga ever started.
DELETE FROM outbox_sequence o USING saga s WHERE o.aggregate_id = s.id::text;
