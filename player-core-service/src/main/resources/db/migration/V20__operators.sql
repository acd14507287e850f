-- Named operator accounts for the console: the admin audit logs name the person (the token's
-- subject is operator:<username>). VIEWER reads what ADMIN reads and changes nothing.
CREATE TABLE operator
(
  username      TEXT        PRIMARY KEY,
  password_hash TEXT        NOT NULL,
  role          TEXT        NOT NULL CHECK (role IN ('ADMIN', 'VIEWER')),
  created_by    TEXT        NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  disabled_at   TIMESTAMPTZ
);

-- The console's player search by name prefix: a plain index on lower(username) serves equality
-- only under a non-C collation; text_pattern_ops serves LIKE 'prefix%'.
CREATE INDEX player_username_prefix ON player (lower(username) text_pattern_ops);
CREATE INDEX player_display_name_prefix ON player (lower(display_name) text_pattern_ops);
