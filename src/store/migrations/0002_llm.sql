-- LLM batches: routine posts' requests waiting for, or in, a provider batch
-- (OpenAI Batch, Anthropic Message Batches). The post itself never waits:
-- it is queued with the template writer's text, and a batch result that
-- comes back in time replaces that text (see src/write/llm/ARCHITECTURE.md).

CREATE TABLE llm_batches (
  id                text PRIMARY KEY,          -- the provider's batch id
  provider          text NOT NULL,
  model             text NOT NULL,
  status            text NOT NULL,             -- open | ended | failed | expired
  cancel_requested  boolean NOT NULL DEFAULT false,
  submitted_at      timestamptz NOT NULL,
  finished_at       timestamptz
);
CREATE INDEX llm_batches_open_idx ON llm_batches (provider, status);

CREATE TABLE llm_batch_items (
  -- No foreign key: the item is written while the post is being planned, before
  -- the event transaction creates it (a post that never appears ends "gone").
  post_id     text PRIMARY KEY,
  account_id  text NOT NULL,
  provider    text NOT NULL,
  model       text NOT NULL,
  batch_id    text REFERENCES llm_batches (id),
  -- pending | submitted | applied | rejected | gone | late | failed | expired | skipped
  status      text NOT NULL,
  request     jsonb NOT NULL,                  -- prompt, platform, max length
  created_at  timestamptz NOT NULL,
  deadline    timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  detail      text
);
CREATE INDEX llm_batch_items_pending_idx ON llm_batch_items (provider, model, status, created_at);
CREATE INDEX llm_batch_items_batch_idx ON llm_batch_items (batch_id);

-- Cost reports group the ledger by account and day.
CREATE INDEX cost_ledger_at_idx ON cost_ledger (at);
