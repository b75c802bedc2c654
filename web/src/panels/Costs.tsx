import { api, type CostRow, type PostSummary } from '../api.ts';
import { BarChart } from '../charts.tsx';
import { usd } from '../format.ts';
import { usePoll } from '../live.ts';

/** Spending per UTC day, and per published post (a day's spending over its published posts). */
export function Costs({ tick }: { tick: number }) {
  const costs = usePoll(() => api.get<{ rows: CostRow[] }>('/api/costs'), [tick], 60_000);
  const published = usePoll(
    () => api.get<{ posts: PostSummary[] }>('/api/posts?status=published&limit=200'),
    [tick],
    60_000,
  );
  const perDay = new Map<string, number>();
  const perProvider = new Map<string, number>();
  for (const r of costs.data?.rows ?? []) {
    perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.usdMicros);
    perProvider.set(r.provider, (perProvider.get(r.provider) ?? 0) + r.usdMicros);
  }
  const postsPerDay = new Map<string, number>();
  for (const p of published.data?.posts ?? []) {
    if (!p.publishedAt) continue;
    const day = p.publishedAt.slice(0, 10);
    postsPerDay.set(day, (postsPerDay.get(day) ?? 0) + 1);
  }
  const days = [...new Set([...perDay.keys(), ...postsPerDay.keys()])].sort().slice(-7);
  const dayBars = days.map((d) => ({
    label: d.slice(5),
    value: perDay.get(d) ?? 0,
    title: `${d}: ${usd(perDay.get(d) ?? 0)}`,
  }));
  const postBars = days
    .filter((d) => (postsPerDay.get(d) ?? 0) > 0)
    .map((d) => {
      const v = (perDay.get(d) ?? 0) / postsPerDay.get(d)!;
      return {
        label: d.slice(5),
        value: v,
        title: `${d}: ${usd(v)} per post over ${postsPerDay.get(d)} posts`,
      };
    });
  const total = [...perDay.values()].reduce((a, b) => a + b, 0);
  return (
    <section className="card" aria-labelledby="cost-h">
      <h2 id="cost-h">Costs</h2>
      {costs.error ? <p className="error">{costs.error}</p> : null}
      <p className="muted">
        Last 7 days: {usd(total)}
        {[...perProvider].map(([p, v]) => ` · ${p} ${usd(v)}`).join('')}
      </p>
      <h3>Per day</h3>
      <BarChart bars={dayBars} format={usd} />
      <h3>Per published post</h3>
      <BarChart bars={postBars} format={usd} />
    </section>
  );
}
