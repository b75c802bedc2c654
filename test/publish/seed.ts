import type { Kysely } from 'kysely';
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
      const eventId = `${label}:event:${n}`;
      await tx
        .insertInto('events')
        .values({
          id: eventId,
          game_id: `${label}:game`,
          league: 'nba',
          source: label,
          kind: 'score',
          sequence: n,
          occurred_at: now,
          ingested_at: now,
          significance: 0.5,
          breaking: false,
          reasons: JSON.stringify([]),
          payload: JSON.stringify({}),
          facts_hash: null,
        })
        .execute();
      const text = `${label} ${n}: Pacers ${100 + (n % 30)}, Knicks ${90 + (n % 25)} (${acc.id})`;
      texts.set(acc.id, [...(texts.get(acc.id) ?? []), text]);
      await createPost(
        tx,
        {
          id: `${label}-post-${n}`,
          accountId: acc.id,
          eventId,
          variant: 0,
          priority: 50,
          significance: 0.5,
          text,
          writer: label,
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
        now,
      );
    }
  });
  return texts;
}
