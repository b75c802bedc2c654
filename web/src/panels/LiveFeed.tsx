import { api, type EventRow, type GameRow } from '../api.ts';
import { time } from '../format.ts';
import type { LiveMessage } from '../live.ts';
import { usePoll } from '../live.ts';

function describe(m: LiveMessage): string {
  switch (m.type) {
    case 'post':
      return `draft ${m.post.status?.replace('_', ' ')}`;
    case 'published':
      return 'published';
    case 'publish_error':
      return `publish failed (${m.errorName ?? 'error'})`;
  }
}

/** Games, the latest events, and what the engine does, as it happens (the live stream). */
export function LiveFeed({
  tick,
  messages,
  connected,
}: {
  tick: number;
  messages: LiveMessage[];
  connected: boolean;
}) {
  const games = usePoll(() => api.get<{ games: GameRow[] }>('/api/games?limit=10'), [tick], 20_000);
  const events = usePoll(() => api.get<{ events: EventRow[] }>('/api/events?limit=15'), [tick], 20_000);
  return (
    <section className="card" aria-labelledby="live-h">
      <div className="card-head">
        <h2 id="live-h">Live</h2>
        <span className={`badge ${connected ? 'ok' : 'bad'}`} data-testid="stream-state">
          {connected ? 'live' : 'reconnecting'}
        </span>
      </div>
      <div className="games">
        {(games.data?.games ?? []).map((g) => (
          <div key={g.id} className="game">
            <b>
              {g.facts.away?.abbreviation} {g.facts.away?.score} – {g.facts.home?.score}{' '}
              {g.facts.home?.abbreviation}
            </b>
            <span className="muted">
              {g.league} · {g.state}
            </span>
          </div>
        ))}
      </div>
      <h3>Posts as they happen</h3>
      {messages.length === 0 ? <p className="muted">Waiting for the engine…</p> : null}
      <ul className="stream" data-testid="stream">
        {messages.map((m) => (
          <li key={m.id} className={`stream-${m.type}`} data-post-id={m.post.id} data-type={m.type}>
            <span className="meta">
              {time(m.at)} · <b>{m.post.accountId}</b> · {describe(m)}
              {m.type === 'published' && m.post.url ? (
                <>
                  {' '}
                  ·{' '}
                  <a href={m.post.url} target="_blank" rel="noopener noreferrer">
                    open
                  </a>
                </>
              ) : null}
            </span>
            {m.post.text ? <span className="text">{m.post.text}</span> : null}
          </li>
        ))}
      </ul>
      <h3>Latest events</h3>
      <ul className="events">
        {(events.data?.events ?? []).map((e) => (
          <li key={e.id}>
            <span className="muted">{time(e.occurredAt)}</span>{' '}
            {e.breaking ? <span className="badge breaking">breaking</span> : null} {e.text}{' '}
            <span className="muted">({e.significance.toFixed(2)})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
