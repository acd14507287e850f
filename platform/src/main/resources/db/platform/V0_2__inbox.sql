-- Idempotent, in-order consumption. A message's effect and its row here commit together, so a
-- redelivery after a crash finds the row and has no second effect.
CREATE TABLE processed_message
(
  consumer     TEXT        NOT NULL,
  event_id     UUID        NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- The last sequence a consumer applied per aggregate.
CREATE TABLE consumer_cursor
(
  consumer      TEXT   NOT NULL,
  aggregate_id  TEXT   NOT NULL,
  last_sequence BIGINT NOT NULL,
  PRIMARY KEY (consumer, aggregate_id)
);

-- Messages that arrived ahead of their predecessors, held until the gap is filled.
CREATE TABLE parked_message
(
  consumer     TEXT        NOT NULL,
  aggregate_id TEXT        NOT NULL,
  sequence     BIGINT      NOT NULL,
  envelope     TEXT        NOT NULL,
  parked_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, aggregate_id, sequence)
);

-- Per-aggregate sequence numbers for outgoing messages, taken inside the business transaction.
CREATE TABLE outbox_sequence
(
  aggregate_id  TEXT   NOT NULL PRIMARY KEY,
  last_sequence BIGINT NOT NULL
);
