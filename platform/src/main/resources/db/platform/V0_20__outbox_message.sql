-- The platform's transactional outbox. A service inserts its outgoing messages here in the
-- transaction of the change they announce; the relay (OutboxRelay) reads committed rows in
-- position order, sends them to Kafka from its own thread and deletes them once Kafka has
-- acknowledged them. What is here is what has not been delivered yet.
CREATE TABLE outbox_message
(
  position    BIGSERIAL   PRIMARY KEY,
  topic       TEXT        NOT NULL,
  message_key TEXT        NOT NULL,
  -- the envelope's JSON, sent as the record's value byte for byte
  envelope    TEXT        NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Which instance relays this database's outbox: one holder at a time, until its lease expires
-- (a crashed holder's lease runs out; a stopping one gives it up).
CREATE TABLE outbox_relay_lease
(
  name       TEXT        PRIMARY KEY,
  holder     TEXT        NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
