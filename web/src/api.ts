/**
 * The dashboard's view of the operators' API (same origin). The session is a
 * cookie set by POST /api/session; mutating calls echo the session's CSRF
 * token in `x-csrf-token`. Every call throws ApiError with the server's
 * message when the answer is not 2xx.
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string, body: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export interface Session {
  name: string;
  role: string;
  csrfToken?: string;
}

let csrf: string | undefined;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { error: text };
  }
  if (!res.ok) throw new ApiError(res.status, String(json.error ?? `${res.status} ${res.statusText}`), json);
  return json as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  async login(name: string, password: string): Promise<Session> {
    const r = await call<{ user: { name: string; role: string }; csrfToken: string }>(
      'POST',
      '/api/session',
      {
        name,
        password,
      },
    );
    csrf = r.csrfToken;
    return { name: r.user.name, role: r.user.role, csrfToken: r.csrfToken };
  },
  async session(): Promise<Session> {
    const s = await call<Session>('GET', '/api/session');
    csrf = s.csrfToken;
    return s;
  },
  async logout(): Promise<void> {
    await call('DELETE', '/api/session');
    csrf = undefined;
  },
};

// ---- shapes of the API's answers (the parts the dashboard reads) ----------

export interface PostSummary {
  id: string;
  accountId: string;
  eventId: string;
  league: string;
  status: string;
  significance: number;
  text: string;
  writer: string;
  attempts: number;
  lastError: string | null;
  platformUrl: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** Published posts only. */
  engagement?: Engagement | null;
}

/** Latest engagement read back from the platform (published posts; null until read). */
export interface Engagement {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number | null;
  collectedAt: string;
}

/** GET /api/engagement: per account, totals and per day of publishing (account's time zone). */
export interface EngagementReport {
  accounts: {
    accountId: string;
    platform: string;
    timezone: string;
    posts: number;
    likes: number;
    reposts: number;
    replies: number;
    quotes: number;
    days: { day: string; posts: number; likes: number; reposts: number; replies: number; quotes: number }[];
  }[];
}

/** GET /api/accounts/:id/best-times. */
export interface BestTimesReport {
  accountId: string;
  timeZone: string;
  posts: number;
  tooYoung: number;
  typical: number;
  minSamples: number;
  ranking: { label: string; posts: number; mean: number; typical: number; lift: number }[];
  sparse: { label: string; posts: number }[];
}

export interface Claim {
  kind: string;
  text: string;
  start: number;
  end: number;
  status: 'supported' | 'contradicted' | 'unverifiable';
  expected?: string;
  groundedIn?: string;
}

export interface Verdict {
  ok: boolean;
  claims: Claim[];
  checks: { check: string; ok: boolean; reason?: string }[];
  reasons: string[];
}

export interface PostStory {
  post: PostSummary & { verdict: Verdict | null; platformPostId: string | null; expiresAt: string | null };
  event: {
    id: string;
    gameId: string;
    kind: string;
    significance: number;
    breaking: boolean;
    reasons: string[];
    payload: { text?: string };
  };
  costs: { kind: string; provider: string; model: string | null; usdMicros: number }[];
  transitions: { id: number; from: string | null; to: string; reason: string; at: string }[];
}

export interface AccountState {
  id: string;
  platform: string;
  handle: string;
  paused: boolean;
  lastPostAt: string | null;
  inflightPostId: string | null;
  config: {
    spacingSeconds?: number;
    timezone?: string;
    windows?: { days: number[]; start: string; end: string }[];
    approval?: { mode: string };
    budget?: { postsPerDay: number; usdMicrosPerDay: number };
  };
  queued: number;
  awaitingApproval: number;
}

export interface BudgetRow {
  accountId: string;
  postsPublished: number;
  postsPerDay: number;
  usdMicrosSpent: number;
  usdMicrosPerDay: number;
  overBudget: boolean;
}

export interface CostRow {
  accountId: string | null;
  day: string;
  kind: string;
  provider: string;
  model: string | null;
  usdMicros: number;
  entries: number;
}

export interface FeedStatus {
  league: string;
  url: string;
  lastPollAt?: number;
  consecutiveErrors: number;
  lastError?: string;
  breaker: string;
  games: number;
}

export interface MonitorStatus {
  league: string;
  gameId: string;
  status: string;
  gameState?: string;
  lastPlayText?: string;
  lastPollAt?: number;
  consecutiveErrors?: number;
}

export interface EventRow {
  id: string;
  gameId: string;
  league: string;
  kind: string;
  occurredAt: string;
  significance: number;
  breaking: boolean;
  text: string;
}

export interface GameRow {
  id: string;
  league: string;
  state: string;
  updatedAt: string;
  facts: {
    home?: { abbreviation?: string; score?: number };
    away?: { abbreviation?: string; score?: number };
  };
}
