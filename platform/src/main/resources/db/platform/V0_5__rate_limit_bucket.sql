-- Bucket4j token buckets shared by every instance of a service (its PostgreSQL proxy manager,
-- locking a key's row with SELECT ... FOR UPDATE). state is Bucket4j's serialized bucket;
-- expires_at is epoch milliseconds after which the bucket would be full again (plus a margin),
-- so the row can be deleted without changing any answer. Bucket4j first inserts an empty row
-- and fills it in the next transaction: the default lets the cleanup take such a row too if
-- its instance died in between.
CREATE TABLE rate_limit_bucket
(
  id         TEXT   NOT NULL PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT NOT NULL DEFAULT (floor(extract(epoch FROM clock_timestamp()) * 1000) + 60000)::bigint
);

CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
