-- Economy sharding (issue 19): what this shard database was told about the ring, and the ring
-- ranges it owns under that version. Every write checks the ranges in its own transaction, so a
-- router with a stale ring is refused (and reloads) instead of writing a player's rows onto a
-- shard that does not own them. One row in shard_ring; the whole ring is kept (shard → weight)
-- so that a router can rebuild it from any shard.
CREATE TABLE shard_ring (
    singleton        boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    shard_id         text        NOT NULL,
    ring_version     bigint      NOT NULL,
    vnodes_per_shard integer     NOT NULL,
    weights          jsonb       NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);

-- Inclusive, non-overlapping token ranges (dev.bulwark.sharding.TokenRange).
CREATE TABLE shard_owned_range (
    first_token bigint PRIMARY KEY,
    last_token  bigint NOT NULL CHECK (first_token <= last_token)
);
