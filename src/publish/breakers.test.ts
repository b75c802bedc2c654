import { describe, expect, it } from 'vitest';
import { PublishBreakers } from './breakers.ts';
import {
  PermanentPublishError,
  PlatformUnavailableError,
  RateLimitedError,
  TransientPublishError,
} from './errors.ts';
import type { PlatformAdapter } from './platform.ts';

function adapter(
  platform: PlatformAdapter['platform'],
  behaviour: () => Promise<void>,
): PlatformAdapter & { calls: number } {
  const a = {
    platform,
    calls: 0,
    async publish() {
      a.calls++;
      await behaviour();
      return { platformPostId: String(a.calls), feeUsdMicros: 0 };
    },
    async find() {
      return null;
    },
  };
  return a;
}

const req = (id: string) => ({
  idempotencyKey: id,
  account: { id: 'a', handle: 'h', platform: 'mastodon' as const },
  text: 't',
});
const signal = () => AbortSignal.timeout(1000);

describe('circuit breakers per platform and per account', () => {
  it('opens for an account after repeated outages, without calling the platform, and leaves other platforms alone', async () => {
    let t = 1_000_000;
    const breakers = new PublishBreakers({
      accountThreshold: 3,
      platformThreshold: 5,
      halfOpenAfterMs: 30_000,
      now: () => t,
    });
    const down = adapter('mastodon', async () => {
      throw new TransientPublishError('503');
    });
    const up = adapter('bluesky', async () => {});
    const a = breakers.wrap(down, 'acc-m');
    const b = breakers.wrap(up, 'acc-b');
    for (let i = 0; i < 3; i++)
      await expect(a.publish(req(`m${i}`), signal())).rejects.toBeInstanceOf(TransientPublishError);
    const open = await a.publish(req('m4'), signal()).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(PlatformUnavailableError);
    expect(open).toBeInstanceOf(RateLimitedError);
    expect((open as RateLimitedError).retryAt).toBe(t + 30_000);
    expect(down.calls).toBe(3);
    await expect(b.publish(req('b1'), signal())).resolves.toMatchObject({ platformPostId: '1' });
    t += 1;
  });

  it('opens for a whole platform when its accounts keep failing, and counts no refusals of single posts', async () => {
    const breakers = new PublishBreakers({ accountThreshold: 10, platformThreshold: 4 });
    const refused = adapter('x', async () => {
      throw new PermanentPublishError('too long');
    });
    const r = breakers.wrap(refused, 'x1');
    for (let i = 0; i < 6; i++)
      await expect(r.publish(req(`r${i}`), signal())).rejects.toBeInstanceOf(PermanentPublishError);
    expect(breakers.openPlatforms()).toEqual([]);
    const down = adapter('telegram', async () => {
      throw new TransientPublishError('502');
    });
    for (let i = 0; i < 4; i++)
      await breakers
        .wrap(down, `t${i}`)
        .publish(req(`t${i}`), signal())
        .catch(() => {});
    expect(breakers.openPlatforms()).toEqual(['telegram']);
    await expect(breakers.wrap(down, 't-new').publish(req('t9'), signal())).rejects.toBeInstanceOf(
      PlatformUnavailableError,
    );
    // What health views and metrics read.
    const states = new Map(breakers.states().map((b) => [b.name, b.state]));
    expect(states.get('platform:telegram')).toBe('open');
    expect(states.get('platform:x')).toBe('closed');
    expect(states.get('account:x1')).toBe('closed');
  });
});
