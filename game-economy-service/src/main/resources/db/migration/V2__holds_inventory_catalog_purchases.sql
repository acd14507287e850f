-- Every table that holds a player's data is keyed by player_id first, so a shard router can
-- later move a player's rows as one; nothing joins across players.

-- The wallet row is the per-player lock and the stream head: writers take it FOR UPDATE and
-- append at last_sequence + 1. A wallet's and an inventory's version is that ledger position.
ALTER TABLE wallet DROP COLUMN version;

CREATE TABLE hold
(
  player_id        UUID   NOT NULL,
  hold_id          UUID   NOT NULL,
  currency         TEXT   NOT NULL CHECK (currency IN ('GOLD', 'GEM')),
  amount           BIGINT NOT NULL CHECK (amount > 0),
  status           TEXT   NOT NULL CHECK (status IN ('PLACED', 'CAPTURED', 'RELEASED')),
  reason           TEXT   NOT NULL,
  placed_sequence  BIGINT NOT NULL,
  settled_sequence BIGINT,
  PRIMARY KEY (player_id, hold_id)
);

CREATE TABLE inventory_item
(
  player_id UUID   NOT NULL,
  item_id   TEXT   NOT NULL,
  quantity  BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (player_id, item_id)
);

-- Replay starts from the newest snapshot at or before the wanted position.
CREATE TABLE ledger_snapshot
(
  player_id UUID        NOT NULL,
  sequence  BIGINT      NOT NULL,
  state     JSONB       NOT NULL,
  taken_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (player_id, sequence)
);

CREATE TABLE purchase
(
  purchase_id     UUID        PRIMARY KEY,
  player_id       UUID        NOT NULL,
  offer_id        TEXT        NOT NULL,
  quantity        BIGINT      NOT NULL CHECK (quantity > 0),
  price_currency  TEXT        NOT NULL,
  price_amount    BIGINT      NOT NULL CHECK (price_amount > 0),
  status          TEXT        NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
  reason          TEXT,
  ledger_sequence BIGINT,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX purchase_by_player ON purchase (player_id, created_at);

-- Idempotency-Key scope is (caller, route). Written in the same transaction as the effect;
-- a concurrent duplicate waits on the primary key and then reads the stored response.
CREATE TABLE idempotency_record
(
  caller          TEXT        NOT NULL,
  route           TEXT        NOT NULL,
  idempotency_key TEXT        NOT NULL,
  player_id       UUID        NOT NULL,
  request_hash    TEXT        NOT NULL,
  -- filled in before the claiming transaction commits; never seen empty by another one
  response_status INT,
  response_body   TEXT,
  location        TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (caller, route, idempotency_key)
);
CREATE INDEX idempotency_record_by_age ON idempotency_record (created_at);

-- Reference data, the same on every shard.
CREATE TABLE catalog_item
(
  item_id   TEXT    PRIMARY KEY,
  name      TEXT    NOT NULL,
  stackable BOOLEAN NOT NULL,
  max_stack INT     NOT NULL CHECK (max_stack >= 1),
  tradable  BOOLEAN NOT NULL,
  CHECK (stackable OR max_stack = 1)
);

-- effect: {"type":"LOCAL","items":[{itemId,quantity}],"currency":{GOLD:n}} per unit bought, or
-- {"type":"REMOTE","action":...,"service":...,"params":[required params]} for saga offers.
CREATE TABLE offer
(
  offer_id       TEXT   PRIMARY KEY,
  name           TEXT   NOT NULL,
  price_currency TEXT   NOT NULL CHECK (price_currency IN ('GOLD', 'GEM')),
  price_amount   BIGINT NOT NULL CHECK (price_amount > 0),
  effect         JSONB  NOT NULL,
  position       INT    NOT NULL
);

INSERT INTO catalog_item (item_id, name, stackable, max_stack, tradable) VALUES
  ('sword', 'Sword', FALSE, 1, TRUE),
  ('potion', 'Healing Potion', TRUE, 99, TRUE),
  ('soulbound-relic', 'Soulbound Relic', FALSE, 1, FALSE);

INSERT INTO offer (offer_id, name, price_currency, price_amount, effect, position) VALUES
  ('potion-pack', 'Five healing potions', 'GOLD', 50,
   '{"type":"LOCAL","items":[{"itemId":"potion","quantity":5}],"currency":{}}', 1),
  ('sword', 'A sword', 'GOLD', 300,
   '{"type":"LOCAL","items":[{"itemId":"sword","quantity":1}],"currency":{}}', 2),
  ('gem-to-gold', '100 GOLD for one GEM', 'GEM', 1,
   '{"type":"LOCAL","items":[],"currency":{"GOLD":100}}', 3),
  ('soulbound-relic', 'A relic bound to its owner', 'GEM', 8,
   '{"type":"LOCAL","items":[{"itemId":"soulbound-relic","quantity":1}],"currency":{}}', 4),
  ('guild-charter', 'Found a guild and lead it', 'GOLD', 500,
   '{"type":"REMOTE","service":"social","action":"CreateGuild","params":["guildName"]}', 5),
  ('xp-boost', 'An experience boost', 'GEM', 5,
   '{"type":"REMOTE","service":"player-core","action":"GrantXpBoost","params":[]}', 6),
  ('name-change', 'Change your display name', 'GEM', 3,
   '{"type":"REMOTE","service":"player-core","action":"ChangeDisplayName","params":["displayName"]}', 7);
