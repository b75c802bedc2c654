/**
 * What the control bot alerts operators about, decided by pure functions
 * over snapshots (feeds, budgets) and engine events, and how each alert
 * reads. Deduplication state is passed in and returned, so the caller
 * (the watcher) owns it and a test can drive it with plain values.
 */

export type Alert =
  | { kind: 'source_down'; source: string; detail: string }
  | { kind: 'source_up'; source: string }
  | { kind: 'breaker_open'; platform: string; accountId: string; detail: string }
  | {
      kind: 'budget';
      accountId: string;
      what: 'posts' | 'money';
      used: string;
      limit: string;
      percent: number;
    }
  | { kind: 'post_review'; postId: string; accountId: string; text: string; breaking: boolean }
  | {
      kind: 'draft_rejected';
      postId: string;
      accountId: string;
      text: string;
      reasons: string[];
      breaking: boolean;
    };

/** A feed as the live watchers report it (see src/sources/live). */
export interface FeedSnapshot {
  league: string;
  url: string;
  consecutiveErrors: number;
  lastError?: string;
  breaker: string;
}

/** Consecutive failed polls after which a source counts as down (or when its breaker opens). Default used: 3. */
export const SOURCE_DOWN_ERRORS = 3;

/**
 * Feeds that went down (breaker open or `SOURCE_DOWN_ERRORS` failures in a
 * row) since the last look, and those that came back. `down` holds the
 * feeds alerted as down; the returned set replaces it.
 */
export function feedAlerts(
  feeds: readonly FeedSnapshot[],
  down: ReadonlySet<string>,
): { alerts: Alert[]; down: Set<string> } {
  const next = new Set<string>();
  const alerts: Alert[] = [];
  for (const f of feeds) {
    const key = `${f.league} ${f.url}`;
    const isDown = f.breaker === 'open' || f.consecutiveErrors >= SOURCE_DOWN_ERRORS;
    if (isDown) {
      next.add(key);
      if (!down.has(key))
        alerts.push({
          kind: 'source_down',
          source: key,
          detail: `breaker ${f.breaker}, ${f.consecutiveErrors} failed polls${f.lastError ? `: ${f.lastError}` : ''}`,
        });
    } else if (down.has(key)) alerts.push({ kind: 'source_up', source: key });
  }
  return { alerts, down: next };
}

/** One account's use of today's budget (the shape of `services.budgets()`). */
export interface BudgetSnapshot {
  accountId: string;
  postsPublished: number;
  postsPerDay: number;
  usdMicrosSpent: number;
  usdMicrosPerDay: number;
}

/** Share of a budget at which operators are told. */
export const BUDGET_ALERT_SHARE = 0.8;

/**
 * Accounts that reached 80% of today's posts or money and were not told yet
 * today. `sent` holds keys `day|account|what`; the returned set replaces it
 * (keys of other days are dropped).
 */
export function budgetAlerts(
  rows: readonly BudgetSnapshot[],
  day: string,
  sent: ReadonlySet<string>,
): { alerts: Alert[]; sent: Set<string> } {
  const next = new Set([...sent].filter((k) => k.startsWith(`${day}|`)));
  const alerts: Alert[] = [];
  for (const r of rows) {
    const checks = [
      {
        what: 'posts' as const,
        used: r.postsPublished,
        limit: r.postsPerDay,
        show: (n: number) => `${n} posts`,
      },
      {
        what: 'money' as const,
        used: r.usdMicrosSpent,
        limit: r.usdMicrosPerDay,
        show: (n: number) => `$${(n / 1e6).toFixed(2)}`,
      },
    ];
    for (const c of checks) {
      if (c.limit <= 0 || c.used < c.limit * BUDGET_ALERT_SHARE) continue;
      const key = `${day}|${r.accountId}|${c.what}`;
      if (next.has(key)) continue;
      next.add(key);
      alerts.push({
        kind: 'budget',
        accountId: r.accountId,
        what: c.what,
        used: c.show(c.used),
        limit: c.show(c.limit),
        percent: Math.round((c.used / c.limit) * 100),
      });
    }
  }
  return { alerts, sent: next };
}

/** Callback data of the inline buttons: `approve:<postId>` or `reject:<postId>` (at most 64 bytes). */
export function buttonData(action: 'approve' | 'reject', postId: string): string {
  return `${action}:${postId}`.slice(0, 64);
}

/** Parses callback data made by {@link buttonData}; null for anything else. */
export function parseButtonData(data: string): { action: 'approve' | 'reject'; postId: string } | null {
  const m = /^(approve|reject):([A-Za-z0-9_-]{1,60})$/.exec(data);
  return m ? { action: m[1] as 'approve' | 'reject', postId: m[2]! } : null;
}

/** An alert as a message: its text and, for a post awaiting a decision, approve and reject buttons. */
export function formatAlert(alert: Alert): { text: string; buttons?: { text: string; data: string }[] } {
  switch (alert.kind) {
    case 'source_down':
      return { text: `⚠️ Source down: ${alert.source}\n${alert.detail}` };
    case 'source_up':
      return { text: `✅ Source back: ${alert.source}` };
    case 'breaker_open':
      return {
        text: `⚠️ ${alert.platform} breaker open (account ${alert.accountId}): posts wait.\n${alert.detail}`,
      };
    case 'budget':
      return {
        text: `💸 ${alert.accountId} has used ${alert.percent}% of today's ${alert.what} budget (${alert.used} of ${alert.limit})`,
      };
    case 'post_review':
      return {
        text: `${alert.breaking ? '🚨 Breaking post' : '📝 Post'} awaiting approval (${alert.accountId}, ${alert.postId}):\n\n${alert.text}`,
        buttons: [
          { text: '✅ Approve', data: buttonData('approve', alert.postId) },
          { text: '❌ Reject', data: buttonData('reject', alert.postId) },
        ],
      };
    case 'draft_rejected':
      return {
        text: `🛑 ${alert.breaking ? 'Breaking-news draft' : 'Draft'} rejected by the verifier (${alert.accountId}, ${alert.postId}): ${alert.reasons.join(', ')}\n\n${alert.text}`,
      };
    default: {
      const never: never = alert;
      throw new Error(`unknown alert ${JSON.stringify(never)}`);
    }
  }
}
