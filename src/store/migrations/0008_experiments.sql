-- A/B experiments (src/feedback/experiments*.ts). The engine writes every
-- configured experiment's definition at start, so the analysis (API, CLI)
-- reads what was run even after the configuration changed.
CREATE TABLE experiments (
  id          text PRIMARY KEY,
  definition  jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- One row per post written under an experiment, created in the same
-- transaction as the post. `assigned_arm` comes from a hash of experiment,
-- event and account (stable across replays and workers); `served_arm` is
-- the arm whose text the post carries: the assigned one, or a fallback when
-- its draft was rejected (`fallback` says why), or NULL when no arm's draft
-- verified (the post is rejected). No foreign key to experiments: the
-- analysis keeps working for an experiment removed from the configuration.
CREATE TABLE experiment_assignments (
  post_id        text PRIMARY KEY REFERENCES posts (id),
  experiment_id  text NOT NULL,
  account_id     text NOT NULL,
  event_id       text NOT NULL,
  assigned_arm   text NOT NULL,
  served_arm     text,
  fallback       text,
  created_at     timestamptz NOT NULL
);
CREATE INDEX experiment_assignments_experiment_idx ON experiment_assignments (experiment_id, served_arm);

-- Every arm's variant of such a post, verified like any draft. Only the
-- served one is published (it is the post's text); the others are kept as
-- never-published alternatives, so operators can see what each arm said.
CREATE TABLE experiment_variants (
  post_id      text NOT NULL REFERENCES posts (id),
  arm          text NOT NULL,
  variant      integer NOT NULL,
  text         text NOT NULL,
  writer       text NOT NULL,
  template_id  text,
  verified     boolean NOT NULL,
  reasons      jsonb NOT NULL,
  served       boolean NOT NULL,
  PRIMARY KEY (post_id, arm)
);
