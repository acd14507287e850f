-- The two-phase-commit coordinator's decision log (platform twophase): one row per global
-- transaction decided COMMIT. The row commits in the coordinator's own local transaction after
-- every participant prepared, and that local commit is the decision; no row means abort
-- (presumed abort). Recovery deletes a row once no participant holds its transaction prepared.
-- (Versioned after the issue that brought it, so that other platform migrations added meanwhile
-- keep their numbers.)
CREATE TABLE twophase_decision (
    coordinator  text        NOT NULL,
    -- the coordinator transaction's own id (pg_current_xact_id), which is also in every
    -- participant's gid: recovery asks pg_xact_status whether a decision is still being made
    xid          bigint      NOT NULL,
    participants text[]      NOT NULL,
    decided_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (coordinator, xid)
);
