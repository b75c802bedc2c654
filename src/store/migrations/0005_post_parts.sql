-- A post published as a thread (a final's summary as a reply chain): one row
-- per post of the chain. Row 0 is the lead (the post itself: the text sent is
-- posts.text, which an operator may have edited; the row keeps the lead as
-- written and its progress); rows 1..n reply in order, each to the one before.
--
-- platform_post_id is written as soon as that post is on the platform, before
-- the next one is sent. So after any crash at most one post of the chain is
-- uncertain (the first row without an id), and reconciliation looks for that
-- one only; the rows with ids are never sent again.
CREATE TABLE post_parts (
  post_id           text NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  idx               integer NOT NULL CHECK (idx >= 0),
  text              text NOT NULL,
  template_id       text,
  verdict           json,
  platform_post_id  text,
  platform_url      text,
  published_at      timestamptz,
  PRIMARY KEY (post_id, idx)
);
