/** Display helpers. Money arrives as integer micro-dollars; times as ISO strings or epoch ms. */

/** "$0.0123" for micro-dollars (4 decimals under a dollar, 2 above). */
export function usd(micros: number): string {
  const dollars = micros / 1e6;
  return `$${dollars.toFixed(Math.abs(dollars) < 1 ? 4 : 2)}`;
}

/** Local time of day ("14:05:09") of an ISO string or epoch ms; "—" for nothing. */
export function time(at: string | number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleTimeString([], { hour12: false });
}

/** "in 3 min" / "5 s ago" relative to `now` (epoch ms). */
export function relative(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  const abs = Math.abs(s);
  const span =
    abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return s >= 0 ? (abs < 1 ? 'now' : `in ${span}`) : `${span} ago`;
}

/** 0..1 as a whole percentage. */
export function pct(part: number, whole: number): number {
  return whole <= 0 ? (part > 0 ? 100 : 0) : Math.round((part / whole) * 100);
}
