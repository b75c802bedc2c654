import { useEffect, useRef, useState } from 'react';

/** One message of GET /api/live/stream (see src/api/live-bus.ts). */
export interface LiveMessage {
  id: number;
  at: number;
  type: 'post' | 'published' | 'publish_error';
  post: {
    id: string;
    accountId: string;
    status?: string;
    text?: string;
    significance?: number;
    url?: string;
    reasons?: string[];
  };
  error?: string;
  errorName?: string;
}

const TYPES = ['post', 'published', 'publish_error'] as const;

/**
 * Follows the live stream while `enabled`: returns the newest messages
 * (newest first, at most `keep`), whether the stream is connected, and a
 * counter that changes with every message (to refresh lists). EventSource
 * reconnects by itself and resumes with Last-Event-ID.
 */
export function useLiveStream(enabled: boolean, keep = 100) {
  const [messages, setMessages] = useState<LiveMessage[]>([]);
  const [connected, setConnected] = useState(false);
  const [tick, setTick] = useState(0);
  const seen = useRef(new Set<number>());
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/live/stream');
    source.addEventListener('hello', () => setConnected(true));
    source.onerror = () => setConnected(false);
    const onMessage = (e: MessageEvent<string>) => {
      const m = JSON.parse(e.data) as LiveMessage;
      if (seen.current.has(m.id)) return;
      seen.current.add(m.id);
      setMessages((old) => [m, ...old].slice(0, keep));
      setTick((t) => t + 1);
    };
    for (const t of TYPES) source.addEventListener(t, onMessage as EventListener);
    return () => source.close();
  }, [enabled, keep]);
  return { messages, connected, tick };
}

/** Re-runs `load` when `deps` change and every `everyMs`; returns its last result and error. */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs = 15_000) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [again, setAgain] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the loader depends on
  useEffect(() => {
    let alive = true;
    load().then(
      (d) => {
        if (!alive) return;
        setData(d);
        setError(undefined);
      },
      (e: unknown) => alive && setError((e as Error).message),
    );
    const timer = setInterval(() => setAgain((n) => n + 1), everyMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [...deps, again]);
  return { data, error, reload: () => setAgain((n) => n + 1) };
}
