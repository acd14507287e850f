-- Subjects whose tokens every service refuses, fed from PlayerBanned / PlayerUnbanned. A lifted
-- ban keeps its row (banned = false) with the event's sequence, so an older event that arrives
-- late cannot bring the ban back.
CREATE TABLE banned_subject
(
  subject    TEXT        NOT NULL PRIMARY KEY,
  banned     BOOLEAN     NOT NULL,
  until      TIMESTAMPTZ,
  reason     TEXT,
  sequence   BIGINT      NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
