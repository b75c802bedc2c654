import { useState } from 'react';
import { type AccountState, api, type BestTimesReport, type EngagementReport } from '../api.ts';
import { BarChart } from '../charts.tsx';
import { usePoll } from '../live.ts';

const count = (n: number) => String(Math.round(n));

/**
 * One account's engagement: interactions per day of publishing (in the
 * account's time zone) over the last 30 days, and its best posting hours
 * when enough posts were read.
 */
export function Engagement({ tick }: { tick: number }) {
  const accounts = usePoll(() => api.get<{ accounts: AccountState[] }>('/api/accounts'), [], 60_000);
  const ids = (accounts.data?.accounts ?? []).map((a) => a.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const id = chosen ?? ids[0] ?? null;
  const report = usePoll(
    () =>
      id
        ? api.get<EngagementReport>(`/api/engagement?account=${encodeURIComponent(id)}&days=30`)
        : Promise.resolve(null),
    [tick, id],
    60_000,
  );
  const best = usePoll(
    () =>
      id
        ? api.get<BestTimesReport>(`/api/accounts/${encodeURIComponent(id)}/best-times`)
        : Promise.resolve(null),
    [id],
    300_000,
  );
  const a = report.data?.accounts[0];
  const bars = (a?.days ?? []).map((d) => {
    const total = d.likes + d.reposts + d.replies + d.quotes;
    return {
      label: d.day.slice(5),
      value: total,
      title: `${d.day}: ${d.likes} likes, ${d.reposts} reposts, ${d.replies} replies${d.quotes ? `, ${d.quotes} quotes` : ''} on ${d.posts} posts`,
    };
  });
  return (
    <section className="card" aria-labelledby="eng-h">
      <h2 id="eng-h">Engagement</h2>
      <label>
        Account{' '}
        <select name="account" value={id ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {ids.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      {report.error ? <p className="error">{report.error}</p> : null}
      {a ? (
        <p className="muted" data-testid="engagement-totals">
          Last 30 days ({a.timezone}): {a.posts} posts read · {a.likes} likes · {a.reposts} reposts ·{' '}
          {a.replies} replies{a.quotes ? ` · ${a.quotes} quotes` : ''}
        </p>
      ) : null}
      <h3>Interactions per day</h3>
      <BarChart bars={bars} format={count} />
      <h3>Best posting hours</h3>
      {best.error ? <p className="error">{best.error}</p> : null}
      {best.data && best.data.ranking.length === 0 ? (
        <p className="muted">
          Not enough posts read yet ({best.data.minSamples} per hour of the week needed; {best.data.posts}{' '}
          counted).
        </p>
      ) : null}
      {best.data && best.data.ranking.length > 0 ? (
        <table className="best-times" data-testid="best-times">
          <thead>
            <tr>
              <th>hour ({best.data.timeZone})</th>
              <th>posts</th>
              <th>typical</th>
              <th>vs usual</th>
            </tr>
          </thead>
          <tbody>
            {best.data.ranking.slice(0, 8).map((h) => (
              <tr key={h.label}>
                <td>{h.label}</td>
                <td>{h.posts}</td>
                <td>{h.typical.toFixed(1)}</td>
                <td>{h.lift.toFixed(2)}×</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
