import { api, type PostSummary } from '../api.ts';
import { time } from '../format.ts';
import { usePoll } from '../live.ts';

/** Engagement numbers, when a later collector stored them on the post. */
type WithEngagement = PostSummary & { engagement?: Record<string, number> | null };

/** Published posts, newest first, with their links and engagement when known. */
export function Published({ tick }: { tick: number }) {
  const list = usePoll(
    () => api.get<{ posts: WithEngagement[] }>('/api/posts?status=published&limit=30'),
    [tick],
  );
  const posts = list.data?.posts ?? [];
  return (
    <section className="card" aria-labelledby="pub-h">
      <h2 id="pub-h">Published</h2>
      {list.error ? <p className="error">{list.error}</p> : null}
      {posts.length === 0 ? <p className="muted">Nothing published yet.</p> : null}
      <ul className="posts published">
        {posts.map((p) => (
          <li key={p.id} className="post" data-post-id={p.id}>
            <span className="meta">
              <b>{p.accountId}</b> · {time(p.publishedAt)}{' '}
              {p.platformUrl ? (
                <a href={p.platformUrl} target="_blank" rel="noopener noreferrer">
                  open
                </a>
              ) : (
                <span className="muted">no link</span>
              )}
            </span>
            <span className="text">{p.text}</span>
            {p.engagement ? (
              <span className="muted">
                {Object.entries(p.engagement)
                  .map(([k, v]) => `${v} ${k}`)
                  .join(' · ')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
