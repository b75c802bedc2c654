import { useState } from 'react';
import { ApiError, api, type PostStory, type PostSummary, type Verdict } from '../api.ts';
import { time } from '../format.ts';
import { usePoll } from '../live.ts';
import { HighlightedText, VerdictDetail } from './Verdict.tsx';

const ACTIONS: Record<string, ('approve' | 'reject' | 'edit' | 'cancel' | 'retry')[]> = {
  awaiting_approval: ['approve', 'reject', 'edit', 'cancel'],
  queued: ['edit', 'cancel'],
  failed: ['retry'],
};

/** The approval queue (and queued and failed posts): each post with its verdict and the actions its status allows. */
export function Queue({ tick, canOperate }: { tick: number; canOperate: boolean }) {
  const [status, setStatus] = useState('awaiting_approval');
  const list = usePoll(
    () => api.get<{ posts: PostSummary[] }>(`/api/posts?status=${status}&limit=50`),
    [status, tick],
  );
  const [open, setOpen] = useState<string | null>(null);
  const posts = list.data?.posts ?? [];
  return (
    <section className="card" aria-labelledby="queue-h">
      <div className="card-head">
        <h2 id="queue-h">Queue</h2>
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="status">
          <option value="awaiting_approval">awaiting approval</option>
          <option value="queued">queued</option>
          <option value="failed">failed</option>
          <option value="rejected">rejected</option>
        </select>
      </div>
      {list.error ? <p className="error">{list.error}</p> : null}
      {posts.length === 0 ? <p className="muted">Nothing here.</p> : null}
      <ul className="posts">
        {posts.map((p) => (
          <li key={p.id} className="post" data-post-id={p.id}>
            <button
              type="button"
              className="row"
              onClick={() => setOpen(open === p.id ? null : p.id)}
              aria-expanded={open === p.id}
            >
              <span className="meta">
                <b>{p.accountId}</b> · {p.league} · sig {p.significance.toFixed(2)} · {time(p.createdAt)}
              </span>
              <span className="text">{p.text}</span>
            </button>
            {open === p.id ? (
              <PostDetail
                id={p.id}
                canOperate={canOperate}
                onDone={() => {
                  setOpen(null);
                  list.reload();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PostDetail({ id, canOperate, onDone }: { id: string; canOperate: boolean; onDone: () => void }) {
  const story = usePoll(() => api.get<PostStory>(`/api/posts/${encodeURIComponent(id)}`), [id], 60_000);
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [refused, setRefused] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState(false);
  const s = story.data;
  if (story.error) return <p className="error">{story.error}</p>;
  if (!s) return <p className="muted">Loading…</p>;
  const verdict = s.post.verdict;
  const act = async (action: string) => {
    setBusy(true);
    setMessage(null);
    setRefused(null);
    try {
      if (action === 'edit') {
        await api.post(`/api/posts/${encodeURIComponent(id)}/edit`, { text: editing ?? '' });
        setEditing(null);
        setMessage('Edited; the new text passed verification.');
        story.reload();
        return;
      }
      const r = await api.post<{ status: string }>(`/api/posts/${encodeURIComponent(id)}/${action}`, {});
      setMessage(`${action}: now ${r.status}`);
      onDone();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
      if (e instanceof ApiError && e.body.verdict) setRefused(e.body.verdict as Verdict);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="detail">
      <p className="muted">
        Event: {s.event.payload.text ?? s.event.kind}{' '}
        {s.event.breaking ? <span className="badge breaking">breaking</span> : null}
      </p>
      <HighlightedText text={s.post.text} claims={verdict?.claims ?? []} />
      {verdict ? <VerdictDetail verdict={verdict} /> : null}
      {editing !== null ? (
        <div className="edit">
          <textarea
            value={editing}
            onChange={(e) => setEditing(e.target.value)}
            rows={4}
            aria-label="post text"
          />
          <div className="buttons">
            <button type="button" disabled={busy} onClick={() => act('edit')}>
              Save (verified first)
            </button>
            <button type="button" className="ghost" onClick={() => setEditing(null)}>
              Discard
            </button>
          </div>
        </div>
      ) : null}
      {canOperate ? (
        <div className="buttons">
          {(ACTIONS[s.post.status] ?? []).map((a) =>
            a === 'edit' ? (
              editing === null ? (
                <button key={a} type="button" className="ghost" onClick={() => setEditing(s.post.text)}>
                  edit
                </button>
              ) : null
            ) : (
              <button
                key={a}
                type="button"
                disabled={busy}
                className={
                  a === 'approve' || a === 'retry'
                    ? 'primary'
                    : a === 'reject' || a === 'cancel'
                      ? 'danger'
                      : ''
                }
                onClick={() => act(a)}
              >
                {a}
              </button>
            ),
          )}
        </div>
      ) : (
        <p className="muted">Your role can read but not act.</p>
      )}
      {message ? (
        <p className="note" role="status">
          {message}
        </p>
      ) : null}
      {refused ? <VerdictDetail verdict={refused} /> : null}
      <details>
        <summary>History</summary>
        <ol className="history">
          {s.transitions.map((t) => (
            <li key={t.id}>
              {time(t.at)} {t.from ?? '∅'} → {t.to}: {t.reason}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
