-- Rate-limit state per account, platform and scope, as the platforms report
-- it (response headers, 429s), so every worker respects what any worker
-- learned. `blocked_until` is set when the scope is exhausted (a 429, or
-- remaining = 0): nothing of the account is published in that scope before it.
-- Spending (X's per-post fees) is read from cost_ledger, which markPublished
-- writes in the same transaction as the post, so budgets never drift from it.
CREATE TABLE platform_limits (
  account_id     text NOT NULL,
  platform       text NOT NULL,
  scope          text NOT NULL,
  limit_count    integer,
  remaining      integer,
  reset_at       timestamptz NOT NULL,
  blocked_until  timestamptz,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (account_id, platform, scope)
);
CREATE INDEX platform_limits_blocked_idx ON platform_limits (account_id, blocked_until);

CREATE INDEX cost_ledger_fees_idx ON cost_ledger (account_id, kind, provider, at);
