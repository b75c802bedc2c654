import { useState } from 'react';
import { type AccountState, api, type BudgetRow } from '../api.ts';
import { pct, relative, usd } from '../format.ts';
import { usePoll } from '../live.ts';

/**
 * When the account may post next, from its spacing since the last post (the
 * posting windows are shown beside it; the publisher also waits for them).
 */
function nextSlot(a: AccountState, now: number): number {
  const last = a.lastPostAt ? Date.parse(a.lastPostAt) : undefined;
  const spacing = (a.config.spacingSeconds ?? 0) * 1000;
  return last === undefined ? now : Math.max(now, last + spacing);
}

function Meter({ used, limit, label }: { used: number; limit: number; label: string }) {
  const p = pct(used, limit);
  return (
    <div className="meter" title={label}>
      <div
        className={`fill ${p >= 100 ? 'over' : p >= 80 ? 'warn' : ''}`}
        style={{ width: `${Math.min(100, p)}%` }}
      />
      <span>{label}</span>
    </div>
  );
}

/** Per-account queues, budgets and next posting slots, with pause and resume. */
export function Accounts({ tick, canOperate }: { tick: number; canOperate: boolean }) {
  const accounts = usePoll(
    () => api.get<{ accounts: AccountState[]; pausedPlatforms: unknown[] }>('/api/accounts'),
    [tick],
  );
  const budgets = usePoll(() => api.get<{ accounts: BudgetRow[] }>('/api/budgets'), [tick]);
  const [message, setMessage] = useState<string | null>(null);
  const byId = new Map((budgets.data?.accounts ?? []).map((b) => [b.accountId, b]));
  const now = Date.now();
  const toggle = async (a: AccountState) => {
    try {
      await api.post(`/api/accounts/${a.id}/${a.paused ? 'resume' : 'pause'}`);
      setMessage(`${a.id} ${a.paused ? 'resumed' : 'paused'}`);
      accounts.reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <section className="card" aria-labelledby="acc-h">
      <h2 id="acc-h">Accounts</h2>
      {accounts.error ? <p className="error">{accounts.error}</p> : null}
      {message ? (
        <p className="note" role="status">
          {message}
        </p>
      ) : null}
      <div className="accounts">
        {(accounts.data?.accounts ?? []).map((a) => {
          const b = byId.get(a.id);
          const slot = nextSlot(a, now);
          return (
            <div key={a.id} className={`account ${a.paused ? 'paused' : ''}`} data-account={a.id}>
              <div className="account-head">
                <b>{a.id}</b>{' '}
                <span className="muted">
                  {a.platform} {a.handle}
                </span>
                {a.paused ? <span className="badge bad">paused</span> : null}
              </div>
              <div className="stats">
                <span>{a.awaitingApproval} awaiting</span>
                <span>{a.queued} queued</span>
                <span>next slot {a.paused ? '— (paused)' : relative(slot, now)}</span>
                {a.config.windows && a.config.windows.length > 0 ? (
                  <span className="muted">
                    windows {a.config.windows.map((w) => `${w.start}–${w.end}`).join(', ')}{' '}
                    {a.config.timezone}
                  </span>
                ) : null}
              </div>
              {b ? (
                <>
                  <Meter
                    used={b.postsPublished}
                    limit={b.postsPerDay}
                    label={`${b.postsPublished} / ${b.postsPerDay} posts today`}
                  />
                  <Meter
                    used={b.usdMicrosSpent}
                    limit={b.usdMicrosPerDay}
                    label={`${usd(b.usdMicrosSpent)} / ${usd(b.usdMicrosPerDay)} today`}
                  />
                </>
              ) : null}
              {canOperate ? (
                <button type="button" className={a.paused ? 'primary' : 'ghost'} onClick={() => toggle(a)}>
                  {a.paused ? 'resume' : 'pause'}
                </button>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
