import { describe, expect, it } from 'vitest';
import { discordNonce } from '../../src/publish/discord/bot.ts';
import { createPlatformAdapter, missingCredentialFields } from '../../src/publish/factory.ts';

const account = { id: 'falcons', handle: 'falcons-wire', platform: 'discord' as const };

describe('discord credentials: webhook mode or bot mode', () => {
  it('a bot token and a channel make the bot adapter, which can reconcile', () => {
    const adapter = createPlatformAdapter(account, {
      name: 'falcons-bot',
      platform: 'discord',
      secrets: { botToken: 'bot.token' },
      settings: { channelId: '1100000000000000001' },
    });
    expect(adapter.capabilities).toEqual({ threads: true, images: true, canFind: true });
  });

  it('a webhook URL makes the webhook adapter, which cannot', () => {
    const adapter = createPlatformAdapter(account, {
      name: 'falcons-hook',
      platform: 'discord',
      secrets: { webhookUrl: 'https://discord.com/api/webhooks/123/abc' },
      settings: {},
    });
    expect(adapter.capabilities).toEqual({ threads: false, images: true, canFind: false });
  });

  it('names what is missing: the channel in bot mode, the webhook otherwise', () => {
    const bot = { name: 'b', platform: 'discord' as const, secrets: { botToken: 't' }, settings: {} };
    expect(missingCredentialFields(bot)).toEqual(['settings.channelId']);
    expect(() => createPlatformAdapter(account, bot)).toThrow(
      /credentials\.b: missing settings\.channelId for discord/,
    );
    expect(missingCredentialFields({ ...bot, secrets: {} })).toEqual(['secrets.webhookUrl']);
  });

  it('a bad channel id is refused naming the field', () => {
    expect(() =>
      createPlatformAdapter(account, {
        name: 'b',
        platform: 'discord',
        secrets: { botToken: 't' },
        settings: { channelId: '#sports' },
      }),
    ).toThrow(/discord channelId: expected a snowflake id/);
  });

  it('the nonce is derived from the idempotency key, stable and within 25 characters', () => {
    const a = discordNonce('p_abcdefghijklmnopqrstuv#3');
    expect(a).toBe(discordNonce('p_abcdefghijklmnopqrstuv#3'));
    expect(a).not.toBe(discordNonce('p_abcdefghijklmnopqrstuv#2'));
    expect(a.length).toBeLessThanOrEqual(25);
  });
});
