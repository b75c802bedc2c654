-- The operators' control room: API tokens, dashboard users and their
-- sessions, the audit trail, idempotent replies, outbound webhooks, platform
-- pauses and encrypted secrets. Times come from the engine's clock.

-- API tokens. Only an HMAC-SHA256 of the token under the server's pepper is
-- kept: a copy of the database does not let anyone call the API.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer', 'worker')),
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

-- Dashboard users: scrypt password hashes (parameters stored in the hash string).
CREATE TABLE users (
  id             text PRIMARY KEY,
  name           text NOT NULL UNIQUE,
  role           text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL,
  disabled_at    timestamptz
);

-- Login sessions. The cookie carries the (signed) session id; the CSRF token
-- must come back in a header on every mutating request of the session.
CREATE TABLE sessions (
  id          text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Who did what, when, to what. Written for every mutating call (refused ones too).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text,
  outcome     text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target, id);

-- Replies to mutating calls by (caller, Idempotency-Key). A row in progress
-- has status_code NULL; a second call with the key waits its turn (409).
CREATE TABLE idempotency_keys (
  principal    text NOT NULL,
  key          text NOT NULL,
  method       text NOT NULL,
  path         text NOT NULL,
  body_hash    text NOT NULL,
  status_code  integer,
  response     jsonb,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Outbound webhooks. The signing secret lives encrypted in `secrets`
-- under the name `webhook:<id>`.
CREATE TABLE webhook_endpoints (
  id          text PRIMARY KEY,
  url         text NOT NULL,
  events      jsonb NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);

-- A paused platform: the accounts the pause itself paused, so resuming the
-- platform leaves alone accounts that were paused on their own.
CREATE TABLE platform_pauses (
  platform         text PRIMARY KEY,
  paused_accounts  jsonb NOT NULL,
  at               timestamptz NOT NULL
);

-- Secrets encrypted with AES-256-GCM. key_id names the key (a digest of it,
-- never the key), so rotation can tell which rows are under which key.
CREATE TABLE secrets (
  name        text PRIMARY KEY,
  key_id      text NOT NULL,
  iv          text NOT NULL,
  tag         text NOT NULL,
  ciphertext  text NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Keyset pagination of post lists (newest first) with and without filters.
CREATE INDEX posts_created_idx ON posts (created_at DESC, id DESC);
CREATE INDEX posts_account_created_idx ON posts (account_id, created_at DESC, id DESC);
CREATE INDEX posts_awaiting_idx ON posts (status, account_id) WHERE status = 'awaiting_approval';
