import type { Claim, Verdict } from '../api.ts';

/**
 * The text with each claim's span highlighted by its status; claims that
 * overlap an earlier one are listed but not highlighted twice.
 */
export function HighlightedText({ text, claims }: { text: string; claims: Claim[] }) {
  const sorted = [...claims]
    .filter((c) => c.start >= 0 && c.end <= text.length && c.end > c.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: React.ReactNode[] = [];
  let at = 0;
  sorted.forEach((c) => {
    if (c.start < at) return;
    if (c.start > at) parts.push(text.slice(at, c.start));
    parts.push(
      <mark
        key={`${c.start}-${c.end}`}
        className={`claim ${c.status}`}
        title={`${c.kind}: ${c.status}${c.groundedIn ? ` — ${c.groundedIn}` : ''}`}
      >
        {text.slice(c.start, c.end)}
      </mark>,
    );
    at = c.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <p className="post-text">{parts}</p>;
}

/** Each claim with its status and what it was grounded in; then the checks that failed. */
export function VerdictDetail({ verdict }: { verdict: Verdict }) {
  const failed = verdict.checks.filter((c) => !c.ok);
  return (
    <div className="verdict">
      <p>
        Verdict: <b className={verdict.ok ? 'ok' : 'bad'}>{verdict.ok ? 'passes' : 'fails'}</b>
        {verdict.reasons.length > 0 ? ` (${verdict.reasons.join(', ')})` : ''}
      </p>
      {verdict.claims.length === 0 ? (
        <p className="muted">No factual claims found.</p>
      ) : (
        <ul className="claims">
          {verdict.claims.map((c) => (
            <li key={`${c.start}-${c.end}-${c.kind}`} className={c.status}>
              <span className={`badge ${c.status}`}>{c.status}</span> <q>{c.text}</q>{' '}
              <span className="muted">{c.kind}</span>
              {c.groundedIn ? <div className="grounded">grounded in: {c.groundedIn}</div> : null}
              {c.expected ? <div className="expected">the facts say: {c.expected}</div> : null}
            </li>
          ))}
        </ul>
      )}
      {failed.length > 0 ? (
        <ul className="checks">
          {failed.map((c) => (
            <li key={c.check}>
              {c.check}: {c.reason ?? 'failed'}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
