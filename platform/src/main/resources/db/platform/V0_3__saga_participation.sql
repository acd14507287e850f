-- A saga participant's record of each step it answered: written in the same transaction as
-- the effect and the reply, so a repeated command or a late Cancel gets the recorded answer.
CREATE TABLE saga_participation (
    saga_id      uuid        NOT NULL,
    step         text        NOT NULL,
    command_type text        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('SUCCEEDED', 'FAILED', 'CANCELLED')),
    reason       text,
    result       jsonb       NOT NULL DEFAULT '{}',
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (saga_id, step)
);
