-- Engagement read back from the platforms for published posts (src/feedback/).
-- Snapshots are append-only: one row per successful read. Other readers (the
-- experiments' analysis) rely on these exact column names.
CREATE TABLE engagement_snapshots (
  post_id       text NOT NULL REFERENCES posts (id),
  collected_at  timestamptz NOT NULL,
  likes         integer NOT NULL,
  reposts       integer NOT NULL,
  replies       integer NOT NULL,
  -- Only where the platform reports quotes (X, Bluesky); NULL elsewhere.
  quotes        integer
);
CREATE INDEX engagement_snapshots_post_idx ON engagement_snapshots (post_id, collected_at DESC);

-- When to read each published post next, on a decaying schedule after its
-- publication (15 min, 1 h, 6 h, 24 h, 72 h by default), then never again.
-- The row is the truth; a worker claims due rows with FOR UPDATE SKIP LOCKED
-- and pushes next_poll_at forward by a lease, so two workers never read the
-- same post for the same step, and a worker that dies only delays the read.
CREATE TABLE engagement_polls (
  post_id         text PRIMARY KEY REFERENCES posts (id),
  account_id      text NOT NULL,
  platform        text NOT NULL,
  published_at    timestamptz NOT NULL,
  -- active: more reads to come; done: schedule finished; gone: the platform no
  -- longer has the post; failed: the platform refused the read for good.
  state           text NOT NULL CHECK (state IN ('active', 'done', 'gone', 'failed')),
  -- Index in the schedule of the next read.
  step            integer NOT NULL DEFAULT 0,
  next_poll_at    timestamptz,
  claimed_by      text,
  -- Consecutive failed reads at this step (a step is given up after a few).
  failures        integer NOT NULL DEFAULT 0,
  polls           integer NOT NULL DEFAULT 0,
  last_polled_at  timestamptz,
  last_error      text,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX engagement_polls_due_idx ON engagement_polls (platform, next_poll_at) WHERE state = 'active';
CREATE INDEX engagement_polls_account_idx ON engagement_polls (account_id, published_at);

-- Finding newly published posts to schedule.
CREATE INDEX posts_published_at_idx ON posts (published_at) WHERE status = 'published';
