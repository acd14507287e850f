-- What the test consumer applied, in the order it applied it.
CREATE TABLE applied_history
(
  aggregate_id TEXT   NOT NULL PRIMARY KEY,
  history      TEXT   NOT NULL,
  effects      BIGINT NOT NULL
);

CREATE TABLE test_note
(
  id   UUID PRIMARY KEY,
  text TEXT NOT NULL
);

CREATE TABLE test_guild
(
  id        UUID PRIMARY KEY,
  name      TEXT NOT NULL,
  leader_id UUID NOT NULL
);
CREATE UNIQUE INDEX test_guild_name ON test_guild (lower(name));
