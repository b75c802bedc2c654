-- Facts snapshots are written deflated (raw DEFLATE of their JSON, made off
-- the thread that owns the store): a snapshot is the whole box score so far,
-- about 12 KB of JSON for every event written about, and storing it as json
-- meant parsing it and compressing it again inside the database on every
-- ingested batch. Rows written before keep their json column.
ALTER TABLE fact_snapshots
  ADD COLUMN facts_deflated bytea,
  ALTER COLUMN facts DROP NOT NULL,
  ADD CONSTRAINT fact_snapshots_one_form CHECK ((facts IS NULL) <> (facts_deflated IS NULL));
