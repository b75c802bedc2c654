import type { Kysely, Transaction } from 'kysely';
import type { Account } from '../../src/domain/account.ts';
import { createPost } from '../../src/store/posts.ts';
import type { DB } from '../../src/store/schema.ts';

/** An account that publishes as fast as it may (no spacing, no window), for tests and benches. */
export function fastAccount(id: string, platform: Account['platform'], handle: string): Account {
  return {
    id,
    platform,
    handle,
    voiceId: 'desk',
    leagues: ['nba'],
    teams: [],
    minSignificance: 0,
    spacingSeconds: 0,
    maxAgeSeconds: 86_400,
    timezone: 'UTC',
    windows: [],
    budget: { postsPerDay: 100_000, usdMicrosPerDay: 1_000_000_000 },
    approval: { mode: 'auto', threshold: 1 },
    credentials: id,
  };
}

/**
 * Stores one event (kind score, no facts) and a queued post for it, with the
 * post's history from drafted to queued. For tests and benches of the queue.
 */
export async function queueTestPost(
  db: Kysely<DB> | Transaction<DB>,
  post: {
    id: string;
    accountId: string;
    eventId: string;
    gameId: string;
    sequence: number;
    text: string;
    writer: string;
    priority?: number;
    createdAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: post.eventId,
      game_id: post.gameId,
      league: 'nba',
      source: post.writer,
      kind: 'score',
      sequence: post.sequence,
      occurred_at: post.createdAt,
      ingested_at: post.createdAt,
      significance: 0.5,
      breaking: false,
      reasons: JSON.stringify([]),
      payload: JSON.stringify({}),
      facts_hash: null,
    })
    .execute();
  await createPost(
    db,
    {
      id: post.id,
      accountId: post.accountId,
      eventId: post.eventId,
      variant: 0,
      priority: post.priority ?? 50,
      significance: 0.5,
      text: post.text,
      writer: post.writer,
      templateId: null,
      verdict: null,
      steps: [
        { status: 'drafted', reason: 'seeded' },
        { status: 'verified', reason: 'seeded' },
        { status: 'queued', reason: 'seeded' },
      ],
      notBefore: null,
      expiresAt: null,
    },
    post.createdAt,
  );
}

/**
 * Queues `count` posts round-robin over `accounts` (one event each, texts
 * unique per run through `label`), in one transaction. Returns the texts per
 * account.
 */
export async function seedPosts(
  db: Kysely<DB>,
  accounts: readonly Account[],
  count: number,
  label: string,
  now = new Date(),
): Promise<Map<string, string[]>> {
  const texts = new Map<string, string[]>();
  await db.transaction().execute(async (tx) => {
    for (let n = 0; n < count; n++) {
      const acc = accounts[n % accounts.length]!;
      const text = `${label} ${n}: Pacers ${100 + (n % 30)}, Knicks ${90 + (n % 25)} (${acc.id})`;
      texts.set(acc.id, [...(texts.get(acc.id) ?? []), text]);
      await queueTestPost(tx, {
        id: `${label}-post-${n}`,
        accountId: acc.id,
        eventId: `${label}:event:${n}`,
        gameId: `${label}:game`,
        sequence: n,
        text,
        writer: label,
        createdAt: now,
      });
    }
  });
  return texts;
}
