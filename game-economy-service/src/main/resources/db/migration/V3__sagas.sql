-- Saga instances of the economy's orchestrator. A row changes only with the command it sends
-- (outbox) in one transaction; version guards against two writers.
CREATE TABLE saga (
    id              uuid        PRIMARY KEY,
    type            text        NOT NULL,
    player_id       uuid        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('RUNNING', 'WAITING', 'CANCELLING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    step            int         NOT NULL,
    data            jsonb       NOT NULL,
    deadline        timestamptz,
    cancel_attempts int         NOT NULL DEFAULT 0,
    reason          text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL DEFAULT 0
);
CREATE INDEX saga_due ON saga (deadline) WHERE state IN ('WAITING', 'CANCELLING');
CREATE INDEX saga_by_state ON saga (state, created_at);
CREATE INDEX saga_by_player ON saga (player_id, created_at);

-- What each saga did, for operators and for GET /api/v1/purchases/{id}.
CREATE TABLE saga_step_log (
    saga_id uuid        NOT NULL REFERENCES saga (id),
    seq     int         NOT NULL,
    step    text        NOT NULL,
    action  text        NOT NULL,
    detail  text,
    at      timestamptz NOT NULL,
    PRIMARY KEY (saga_id, seq)
);
