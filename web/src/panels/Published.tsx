import { api, type Engagement, type PostSummary } from '../api.ts';
import { time } from '../format.ts';
import { usePoll } from '../live.ts';

/** Likes, reposts and replies (and quotes where the platform counts them), as last read. */
function Counts({ e }: { e: Engagement | null | undefined }) {
  if (!e) return <span className="muted engagement">not read yet</span>;
  const parts: [string, number][] = [
    ['likes', e.likes],
    ['reposts', e.reposts],
    ['replies', e.replies],
  ];
  if (e.quotes !== null) parts.push(['quotes', e.quotes]);
  return (
    <span className="engagement" data-testid="engagement" title={`read at ${time(e.collectedAt)}`}>
      {parts.map(([k, v]) => (
        <span key={k} data-kind={k}>
          <b>{v}</b> {k}
        </span>
      ))}
    </span>
  );
}

/** Published posts, newest first, with their links and engagement when known. */
export function Published({ tick }: { tick: number }) {
  const list = usePoll(
    () => api.get<{ posts: PostSummary[] }>('/api/posts?status=published&limit=30'),
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
              )}{' '}
              <Counts e={p.engagement} />
            </span>
            <span className="text">{p.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
