-- A saga whose deadline cannot be handled (its type was removed, its data no longer decodes) is
-- parked: the deadline scanner leaves it alone until an operator retries or cancels it, instead
-- of failing on it every second.
ALTER TABLE saga ADD COLUMN parked_at timestamptz;
ALTER TABLE saga ADD COLUMN park_reason text;
DROP INDEX saga_due;
CREATE INDEX saga_due ON saga (deadline) WHERE state IN ('WAITING', 'CANCELLING') AND parked_at IS NULL;
CREATE INDEX saga_parked ON saga (parked_at) WHERE parked_at IS NOT NULL;
-- The admin list without a state filter is ordered by creation; with one it uses saga_by_state.
CREATE INDEX saga_by_created ON saga (created_at);
