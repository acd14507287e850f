-- Tokens issued before a ban stay refused after it is lifted (or runs out): the player signs in
-- again. Raised by every ban, never lowered, kept when the ban is lifted.
ALTER TABLE banned_subject ADD COLUMN tokens_issued_before TIMESTAMPTZ;
