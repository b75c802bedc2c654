import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.ts';
import type { Store } from '../store/store.ts';
import { createPublishTriggers, type PublishTriggers } from './triggers.ts';

async function until(condition: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('publish triggers on pg-boss', () => {
  let store: Store;
  let triggers: PublishTriggers;
  let drains = 0;

  beforeAll(async () => {
    store = await openTestStore();
    triggers = await createPublishTriggers(store.db, {
      onError: (error) => {
        throw error;
      },
    });
    await triggers.work(async () => {
      drains++;
    });
  }, 60_000);
  afterAll(async () => {
    await triggers.stop();
    await store.close();
  });

  it('wakes a drain soon after a post is queued', async () => {
    const before = drains;
    await triggers.notify('nba-desk');
    await until(() => drains > before, 5_000);
  });

  it('holds a delayed trigger until its time', async () => {
    const before = drains;
    const sent = Date.now();
    await triggers.notify('pacers', 1_500);
    await until(() => drains > before, 8_000);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1_400);
  });

  it('keeps one waiting trigger per account, and a later one does not block an immediate one', async () => {
    await triggers.notify('knicks', 60_000);
    const before = drains;
    await triggers.notify('knicks');
    await triggers.notify('knicks');
    await until(() => drains > before, 5_000);
    const jobs = await store.db
      .withTables<{ 'pgboss.job': { name: string; singleton_key: string | null; state: string } }>()
      .selectFrom('pgboss.job')
      .select(['singleton_key', 'state'])
      .where('name', '=', 'wirereport-publish')
      .where('state', '=', 'created')
      .execute();
    const waiting = jobs.filter((j) => j.singleton_key?.startsWith('knicks'));
    expect(waiting.length).toBe(1);
    expect(waiting[0]!.singleton_key).toMatch(/^knicks@\d+$/);
  });
});
