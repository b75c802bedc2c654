-- Documents the engine writes once and reads back whole (event payloads and
-- reasons, facts snapshots, verdicts) are stored as json, not jsonb: no SQL
-- looks inside them, and json keeps the text as written instead of
-- decomposing it, which makes every ingested event markedly cheaper to store
-- (about a third of the time on the embedded store). Columns that SQL reads
-- into (accounts.config, for spacing) stay jsonb.
ALTER TABLE events
  ALTER COLUMN payload TYPE json USING payload::json,
  ALTER COLUMN reasons TYPE json USING reasons::json;
ALTER TABLE fact_snapshots ALTER COLUMN facts TYPE json USING facts::json;
ALTER TABLE games ALTER COLUMN facts TYPE json USING facts::json;
ALTER TABLE posts ALTER COLUMN verdict TYPE json USING verdict::json;
