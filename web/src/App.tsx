import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, type Session } from './api.ts';
import { useLiveStream } from './live.ts';
import { Accounts } from './panels/Accounts.tsx';
import { Costs } from './panels/Costs.tsx';
import { Engagement } from './panels/Engagement.tsx';
import { Experiments } from './panels/Experiments.tsx';
import { Health } from './panels/Health.tsx';
import { LiveFeed } from './panels/LiveFeed.tsx';
import { Published } from './panels/Published.tsx';
import { Queue } from './panels/Queue.tsx';

const TABS = ['live', 'queue', 'accounts', 'published', 'engagement', 'costs', 'health'] as const;
type Tab = (typeof TABS)[number];

/** A counter that follows `value` at most every `ms` (lists refresh on live events without a storm). */
function useThrottled(value: number, ms: number): number {
  const [out, setOut] = useState(value);
  useEffect(() => {
    if (value === out) return;
    const t = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(t);
  }, [value, out, ms]);
  return out;
}

function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onLogin(await api.login(name, password));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card">
        <h1>Wire Report</h1>
        <label>
          Name
          <input
            name="name"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="primary">
          Log in
        </button>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}

/** The operators' dashboard: login, then the live stream and the panels, one tab at a time. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [tab, setTab] = useState<Tab>(() => {
    const h = location.hash.slice(1);
    return (TABS as readonly string[]).includes(h) ? (h as Tab) : 'live';
  });
  useEffect(() => {
    api.session().then(setSession, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) setSession(null);
      else setSession(null);
    });
  }, []);
  const live = useLiveStream(Boolean(session));
  const tick = useThrottled(live.tick, 400);
  if (session === undefined) return <p className="muted center">Loading…</p>;
  if (session === null) return <Login onLogin={setSession} />;
  const canOperate = session.role === 'admin' || session.role === 'operator';
  const choose = (t: Tab) => {
    setTab(t);
    history.replaceState(null, '', `#${t}`);
  };
  return (
    <>
      <header className="top">
        <h1>Wire Report</h1>
        <span className="muted who">
          {session.name} ({session.role})
        </span>
        <button
          type="button"
          className="ghost small"
          onClick={() => api.logout().finally(() => setSession(null))}
        >
          log out
        </button>
        <nav className="tabs" aria-label="sections">
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              className={t === tab ? 'tab active' : 'tab'}
              aria-current={t === tab}
              onClick={() => choose(t)}
            >
              {t}
            </button>
          ))}
        </nav>
      </header>
      <main className="panels">
        {tab === 'live' ? <LiveFeed tick={tick} messages={live.messages} connected={live.connected} /> : null}
        {tab === 'queue' ? <Queue tick={tick} canOperate={canOperate} /> : null}
        {tab === 'accounts' ? <Accounts tick={tick} canOperate={canOperate} /> : null}
        {tab === 'published' ? <Published tick={tick} /> : null}
        {tab === 'engagement' ? <Engagement tick={tick} /> : null}
        {tab === 'published' ? <Experiments tick={tick} /> : null}
        {tab === 'costs' ? <Costs tick={tick} /> : null}
        {tab === 'health' ? (
          <Health tick={tick} messages={live.messages} isAdmin={session.role === 'admin'} />
        ) : null}
      </main>
    </>
  );
}
