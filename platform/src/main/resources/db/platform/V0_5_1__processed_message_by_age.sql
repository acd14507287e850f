-- MessageHousekeeping deletes processed-message ids by age.
CREATE INDEX processed_message_by_age ON processed_message (processed_at);
