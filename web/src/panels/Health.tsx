import { type AccountState, api, type CostRow, type FeedStatus, type MonitorStatus } from '../api.ts';
import { relative, time } from '../format.ts';
import type { LiveMessage } from '../live.ts';
import { usePoll } from '../live.ts';

type Level = 'ok' | 'warn' | 'bad' | 'idle';

function Dot({ level }: { level: Level }) {
  return <span className={`dot ${level}`} role="img" aria-label={level} />;
}

/** Breaker gauges from /metrics (`wirereport_breaker_state{name=...} 0|1|2`), readable by admins. */
function parseBreakers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^wirereport_breaker_state\{name="([^"]+)"\} (\d)/gm))
    out.set(m[1]!, ['closed', 'half_open', 'open'][Number(m[2])] ?? 'unknown');
  return out;
}

/**
 * Health of every source (feed breaker and errors from the live watchers),
 * platform (pauses, breakers where exported, recent publish errors) and LLM
 * provider (spend seen in the ledger, breakers where exported).
 */
export function Health({
  tick,
  messages,
  isAdmin,
}: {
  tick: number;
  messages: LiveMessage[];
  isAdmin: boolean;
}) {
  const sources = usePoll(
    () =>
      api.get<{ sources: { id: string; kind: string; league: string; enabled: boolean }[] }>('/api/sources'),
    [],
    60_000,
  );
  const live = usePoll(
    () =>
      api
        .get<{ games: MonitorStatus[]; feeds: FeedStatus[] }>('/api/live/games')
        .catch(() => ({ games: [], feeds: [] })),
    [tick],
    10_000,
  );
  const accounts = usePoll(
    () => api.get<{ accounts: AccountState[]; pausedPlatforms: { platform: string }[] }>('/api/accounts'),
    [tick],
  );
  const costs = usePoll(() => api.get<{ rows: CostRow[] }>('/api/costs'), [], 60_000);
  const metrics = usePoll(
    () => (isAdmin ? fetch('/metrics').then((r) => (r.ok ? r.text() : '')) : Promise.resolve('')),
    [isAdmin],
    15_000,
  );
  const breakers = parseBreakers(metrics.data ?? '');
  const now = Date.now();
  const feeds = live.data?.feeds ?? [];
  const platforms = [...new Set((accounts.data?.accounts ?? []).map((a) => a.platform))].sort();
  const paused = new Set((accounts.data?.pausedPlatforms ?? []).map((p) => p.platform));
  const errors = messages.filter((m) => m.type === 'publish_error');
  const providers = [...new Set((costs.data?.rows ?? []).map((r) => r.provider))].sort();
  return (
    <section className="card" aria-labelledby="health-h">
      <h2 id="health-h">Health</h2>
      <h3>Sources</h3>
      <ul className="health">
        {(sources.data?.sources ?? []).map((s) => {
          const f = feeds.find((x) => x.league === s.league);
          const level: Level = !s.enabled
            ? 'idle'
            : !f
              ? 'idle'
              : f.breaker === 'open'
                ? 'bad'
                : f.consecutiveErrors > 0 || f.breaker === 'half_open'
                  ? 'warn'
                  : 'ok';
          return (
            <li key={s.id}>
              <Dot level={level} /> <b>{s.id}</b> {s.kind} {s.league}{' '}
              <span className="muted">
                {!s.enabled
                  ? 'disabled'
                  : f
                    ? `breaker ${f.breaker} · ${f.games} games · polled ${f.lastPollAt ? relative(f.lastPollAt, now) : 'never'}${f.lastError ? ` · ${f.lastError}` : ''}`
                    : 'not watched live (replay or no live watcher)'}
              </span>
            </li>
          );
        })}
        {(live.data?.games ?? []).map((g) => (
          <li key={g.gameId}>
            <Dot level={(g.consecutiveErrors ?? 0) > 0 ? 'warn' : g.status === 'polling' ? 'ok' : 'idle'} />{' '}
            {g.gameId}{' '}
            <span className="muted">
              {g.status} {g.gameState ?? ''} {g.lastPlayText ?? ''}
            </span>
          </li>
        ))}
      </ul>
      <h3>Platforms</h3>
      <ul className="health">
        {platforms.map((p) => {
          const recent = errors.filter(
            (e) => accounts.data?.accounts.find((a) => a.id === e.post.accountId)?.platform === p,
          );
          const breaker = breakers.get(p) ?? breakers.get(`platform:${p}`);
          const open = breaker === 'open' || recent.some((e) => e.errorName === 'PlatformUnavailableError');
          const level: Level = paused.has(p) ? 'idle' : open ? 'bad' : recent.length > 0 ? 'warn' : 'ok';
          return (
            <li key={p}>
              <Dot level={level} /> <b>{p}</b>{' '}
              <span className="muted">
                {paused.has(p) ? 'paused · ' : ''}breaker{' '}
                {breaker ?? (open ? 'open' : 'closed (as far as seen)')}
                {recent[0] ? ` · last error ${time(recent[0].at)}: ${recent[0].error}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
      <h3>LLM providers</h3>
      <ul className="health">
        {providers.length === 0 ? (
          <li className="muted">No LLM calls in the last 7 days (template writer).</li>
        ) : null}
        {providers.map((p) => (
          <li key={p}>
            <Dot level={breakers.get(`llm:${p}`) === 'open' ? 'bad' : 'ok'} /> <b>{p}</b>{' '}
            <span className="muted">
              breaker {breakers.get(`llm:${p}`) ?? breakers.get(p) ?? 'not exported'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
