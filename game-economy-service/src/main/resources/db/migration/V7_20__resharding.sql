-- Online resharding (issue 20). The job and the shards added at runtime live on shard 0 (the
-- tables exist on every shard, as every migration does); the change capture works on every shard
-- a job copies from.

-- One job at a time: the partial unique index refuses a second active job in the database.
CREATE TABLE reshard_job (
    id              uuid        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('ADD_SHARD', 'REMOVE_SHARD', 'REWEIGHT')),
    shard_id        text        NOT NULL,
    request         jsonb       NOT NULL,
    phase           text        NOT NULL,
    active          boolean     NOT NULL DEFAULT true,
    abort_requested boolean     NOT NULL DEFAULT false,
    from_version    bigint      NOT NULL,
    to_version      bigint      NOT NULL,
    from_weights    jsonb       NOT NULL,
    to_weights      jsonb       NOT NULL,
    total_players   bigint      NOT NULL DEFAULT 0,
    moved_players   bigint      NOT NULL DEFAULT 0,
    moved_rows      bigint      NOT NULL DEFAULT 0,
    cleaned_players bigint      NOT NULL DEFAULT 0,
    lag             bigint      NOT NULL DEFAULT 0,
    fence_millis    bigint      NOT NULL DEFAULT 0,
    errors          jsonb       NOT NULL DEFAULT '[]',
    started_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX reshard_job_one_active ON reshard_job (active) WHERE active;

-- The players a job moves, with the shard they move from: its plan, and its copy cursor.
CREATE TABLE reshard_player (
    job_id    uuid    NOT NULL REFERENCES reshard_job (id),
    player_id uuid    NOT NULL,
    source    text    NOT NULL,
    target    text    NOT NULL,
    copied    boolean NOT NULL DEFAULT false,
    cleaned   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, player_id)
);

-- Shards added at runtime (credentials stay in configuration, by shard id): every replica and
-- every restart registers them from here.
CREATE TABLE reshard_shard (
    shard_id text        PRIMARY KEY,
    jdbc_url text        NOT NULL,
    added_by uuid        NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- Change capture: while a row is in reshard_capture, every change of a player's row appends its
-- key (a player id, or a saga id for saga steps and an aggregate id for message cursors) to
-- reshard_dirty. Append-only, so writers never wait on each other's markers (an upsert of one
-- marker row per key deadlocked writers that lock two players in different orders); a catch-up
-- deletes the markers it can see and re-copies their players afterwards, and a marker of a
-- transaction still running stays behind for the next pass: no change is missed.
CREATE TABLE reshard_capture (
    job_id uuid PRIMARY KEY
);

CREATE TABLE reshard_dirty (
    id  bigserial PRIMARY KEY,
    key text      NOT NULL
);

CREATE FUNCTION reshard_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reshard_capture) THEN
        INSERT INTO reshard_dirty (key)
        VALUES (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON ledger_event FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON wallet FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON hold FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON inventory_item FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON ledger_snapshot FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON purchase FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON idempotency_record FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON saga FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON saga_step_log FOR EACH ROW EXECUTE FUNCTION reshard_mark('saga_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON authority_fence FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON admin_audit_log FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON trader_standing FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON ledger_audit_checkpoint FOR EACH ROW EXECUTE FUNCTION reshard_mark('player_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON outbox_sequence FOR EACH ROW EXECUTE FUNCTION reshard_mark('aggregate_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON consumer_cursor FOR EACH ROW EXECUTE FUNCTION reshard_mark('aggregate_id');
CREATE TRIGGER reshard_mark AFTER INSERT OR UPDATE OR DELETE ON parked_message FOR EACH ROW EXECUTE FUNCTION reshard_mark('aggregate_id');
