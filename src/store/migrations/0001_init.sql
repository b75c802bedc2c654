-- Wire Report schema, first version.
-- Times are timestamptz written from the engine's clock (never now() in
-- application paths, so replays on a virtual clock stay consistent).
-- Money is integer micro-dollars.

CREATE TABLE accounts (
  id            text PRIMARY KEY,
  platform      text NOT NULL,
  handle        text NOT NULL,
  config        jsonb NOT NULL,
  paused        boolean NOT NULL DEFAULT false,
  last_post_at  timestamptz,
  -- The one post of this account being published right now. Claiming sets it
  -- under the row lock, so two workers can never publish for one account at
  -- once and the account's order holds.
  inflight_post_id text,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE games (
  id          text PRIMARY KEY,
  league      text NOT NULL,
  state       text NOT NULL,
  facts       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Snapshots of facts, shared by the events that rest on them (content-addressed).
CREATE TABLE fact_snapshots (
  hash   text PRIMARY KEY,
  facts  jsonb NOT NULL
);

CREATE TABLE events (
  id            text PRIMARY KEY,
  game_id       text NOT NULL,
  league        text NOT NULL,
  source        text NOT NULL,
  kind          text NOT NULL,
  sequence      integer NOT NULL,
  occurred_at   timestamptz NOT NULL,
  ingested_at   timestamptz NOT NULL,
  significance  real NOT NULL,
  breaking      boolean NOT NULL,
  reasons       jsonb NOT NULL,
  payload       jsonb NOT NULL,
  -- Set for events that were written about: the facts their posts rest on.
  facts_hash    text REFERENCES fact_snapshots (hash)
);
CREATE INDEX events_game_idx ON events (game_id, sequence);
CREATE INDEX events_ingested_idx ON events (ingested_at);

-- A post is one account's text for one event and variant, through its whole
-- lifecycle (drafted .. published). Its id is derived from content
-- (event + account + variant), which makes creating it idempotent.
CREATE TABLE posts (
  id                text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts (id),
  event_id          text NOT NULL REFERENCES events (id),
  variant           integer NOT NULL DEFAULT 0,
  status            text NOT NULL,
  priority          integer NOT NULL,
  significance      real NOT NULL,
  text              text NOT NULL,
  writer            text NOT NULL,
  template_id       text,
  verdict           jsonb,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  queued_at         timestamptz,
  not_before        timestamptz,
  expires_at        timestamptz,
  lease_owner       text,
  lease_until       timestamptz,
  attempts          integer NOT NULL DEFAULT 0,
  last_error        text,
  platform_post_id  text,
  platform_url      text,
  published_at      timestamptz,
  UNIQUE (account_id, event_id, variant)
);
CREATE INDEX posts_claim_idx ON posts (account_id, status, priority, created_at);
CREATE INDEX posts_status_idx ON posts (status, updated_at);

CREATE TABLE post_transitions (
  id           bigserial PRIMARY KEY,
  post_id      text NOT NULL REFERENCES posts (id),
  from_status  text,
  to_status    text NOT NULL,
  reason       text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX post_transitions_post_idx ON post_transitions (post_id, id);

CREATE TABLE publish_attempts (
  id                bigserial PRIMARY KEY,
  post_id           text NOT NULL REFERENCES posts (id),
  account_id        text NOT NULL,
  platform          text NOT NULL,
  worker            text NOT NULL,
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz,
  outcome           text,
  error             text,
  platform_post_id  text
);
CREATE INDEX publish_attempts_post_idx ON publish_attempts (post_id);

CREATE TABLE cost_ledger (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL,
  account_id    text,
  post_id       text,
  kind          text NOT NULL,
  provider      text NOT NULL,
  model         text,
  tokens_in     integer NOT NULL DEFAULT 0,
  tokens_cached integer NOT NULL DEFAULT 0,
  tokens_out    integer NOT NULL DEFAULT 0,
  latency_ms    integer,
  usd_micros    bigint NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX cost_ledger_account_idx ON cost_ledger (account_id, at);

-- The outbox platform: exactly what would have been sent, keyed by the post's
-- idempotency key so a repeated send cannot add a second row.
CREATE TABLE outbox_messages (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  account_id       text NOT NULL,
  platform         text NOT NULL,
  handle           text NOT NULL,
  text             text NOT NULL,
  sent_at          timestamptz NOT NULL
);
CREATE INDEX outbox_messages_account_idx ON outbox_messages (account_id, id);

-- Ingestion progress per source and key (for example the last play seen per game).
CREATE TABLE cursors (
  source      text NOT NULL,
  key         text NOT NULL,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (source, key)
);
