-- How many records of a board's period fall in each score bucket, kept in the write's transaction,
-- so that a rank is the sum of the better buckets plus a count inside one bucket instead of a count
-- of every better record. Buckets are log-linear in the sort key (exact below 512, then 256 buckets
-- per power of two, as HdrHistogram with 8 significant bits) and keep its order; negative sort keys
-- mirror positive ones. LeaderboardRules.bucket is the same function in Java (a test compares them).
CREATE FUNCTION leaderboard_magnitude_bucket(v BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v < 512 THEN v
         ELSE (56 - position('1' IN v::bit(64)::text)) * 256
              + (v >> (56 - position('1' IN v::bit(64)::text))) END
$$;
CREATE FUNCTION leaderboard_bucket_of(sort_key BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN sort_key < 0 THEN -leaderboard_magnitude_bucket(-sort_key - 1) - 1
         ELSE leaderboard_magnitude_bucket(sort_key) END
$$;

CREATE TABLE leaderboard_bucket
(
  leaderboard_id TEXT   NOT NULL REFERENCES leaderboard (leaderboard_id),
  period_end     BIGINT NOT NULL,
  bucket         BIGINT NOT NULL,
  records        BIGINT NOT NULL CHECK (records >= 0),
  PRIMARY KEY (leaderboard_id, period_end, bucket)
);

INSERT INTO leaderboard_bucket (leaderboard_id, period_end, bucket, records)
SELECT leaderboard_id, period_end, leaderboard_bucket_of(sort_key), count(*)
FROM leaderboard_record GROUP BY 1, 2, 3;

-- The smallest sort key in a bucket (LeaderboardRules.bucketStart): a rank counts inside its own
-- bucket from there.
CREATE FUNCTION leaderboard_magnitude_start(b BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN b < 512 THEN b ELSE (b - (b / 256 - 1) * 256) << (b / 256 - 1)::int END
$$;
CREATE FUNCTION leaderboard_bucket_start(bucket BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bucket < 0 THEN -leaderboard_magnitude_start(-bucket) ELSE leaderboard_magnitude_start(bucket) END
$$;
