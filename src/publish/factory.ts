import type { Account } from '../domain/account.ts';
import type { Platform } from '../domain/platform.ts';
import { type BlueskyOptions, createBlueskyAdapter, type SessionCache } from './bluesky/bluesky.ts';
import type { CredentialState } from './credential-state.ts';
import { createDiscordBotAdapter } from './discord/bot.ts';
import { createDiscordAdapter } from './discord/discord.ts';
import { createMastodonAdapter } from './mastodon/mastodon.ts';
import type { PlatformAdapter, RateLimitObservation } from './platform.ts';
import { createTelegramAdapter, type TelegramHistory } from './telegram/telegram.ts';
import { createXAdapter } from './x/x.ts';

/** Credentials as the configuration resolves them (secrets in clear, in memory only). */
export interface AdapterCredentials {
  /** Name of the entry, for error messages. */
  name: string;
  platform: Platform;
  secrets: Record<string, string>;
  settings: Record<string, string>;
}

export interface AdapterContext {
  now?: () => number;
  onRateLimit?: (observation: RateLimitObservation) => void;
  /** Keeps Bluesky sessions across restarts. Default: none (one login per process and account). */
  blueskySessions?: SessionCache;
  /** Reads Telegram chats back for reconciliation. Default: none (uncertain Telegram publishes wait). */
  telegramHistory?: TelegramHistory;
  /** Called when X rotates OAuth 2.0 tokens, so the new refresh token can be kept. */
  onXTokens?: (tokens: { accessToken: string; refreshToken?: string }) => void;
  /**
   * Where this account's run-time credentials survive restarts, encrypted in
   * the store (the engine's `storeCredentialState`): X's rotated OAuth 2.0
   * tokens, the Bluesky session (unless `blueskySessions` is given). Default:
   * none (memory only).
   */
  credentialState?: CredentialState;
}

/**
 * The fields each platform's credentials entry takes (`credentials.NAME` in
 * wirereport.yaml: `secrets` are `{ env }`/`{ file }` references, `settings`
 * plain strings):
 *
 * | platform | secrets | settings |
 * |---|---|---|
 * | bluesky | `password` (an app password) | `service` (default https://bsky.social), `identifier` (default: the account's handle) |
 * | mastodon | `accessToken` | `url` (the instance, required) |
 * | telegram | `botToken` | `chatId` (required), `apiRoot` (default https://api.telegram.org) |
 * | discord | webhook mode: `webhookUrl` (https://discord.com/api/webhooks/ID/TOKEN); bot mode (reconcilable): `botToken` | `apiBase` (default https://discord.com/api), `username` (webhook); bot mode: `channelId` (required), `guildId` (for links) |
 * | x | OAuth 2.0: `accessToken`, optional `refreshToken`, `clientId`, `clientSecret`; or OAuth 1.0a: `appKey`, `appSecret`, `accessToken`, `accessSecret` | `userId` (default: looked up once with /2/users/me), `apiBase` (default https://api.x.com), `tokenUrl` (default `apiBase`/2/oauth2/token) |
 */
export const CREDENTIAL_FIELDS: Record<
  Exclude<Platform, 'outbox'>,
  { secrets: string[]; settings: string[] }
> = {
  bluesky: { secrets: ['password'], settings: [] },
  mastodon: { secrets: ['accessToken'], settings: ['url'] },
  telegram: { secrets: ['botToken'], settings: ['chatId'] },
  discord: { secrets: ['webhookUrl'], settings: [] },
  x: { secrets: ['accessToken'], settings: [] },
};

/** Names the missing fields of a credentials entry; empty when complete. */
export function missingCredentialFields(credentials: AdapterCredentials): string[] {
  if (credentials.platform === 'outbox') return [];
  // Discord's bot mode replaces the webhook URL by a bot token and a channel.
  const need =
    credentials.platform === 'discord' && credentials.secrets.botToken
      ? { secrets: ['botToken'], settings: ['channelId'] }
      : CREDENTIAL_FIELDS[credentials.platform];
  return [
    ...need.secrets.filter((k) => !credentials.secrets[k]).map((k) => `secrets.${k}`),
    ...need.settings.filter((k) => !credentials.settings[k]).map((k) => `settings.${k}`),
  ];
}

/**
 * Builds the adapter of one account from its resolved credentials. Throws,
 * naming the credentials entry and fields, when something required is missing.
 */
export function createPlatformAdapter(
  account: Pick<Account, 'id' | 'handle' | 'platform'>,
  credentials: AdapterCredentials,
  context: AdapterContext = {},
): PlatformAdapter {
  const missing = missingCredentialFields(credentials);
  if (missing.length > 0)
    throw new Error(
      `credentials.${credentials.name}: missing ${missing.join(', ')} for ${credentials.platform}`,
    );
  const { secrets, settings } = credentials;
  const common = {
    accountId: account.id,
    ...(context.now ? { now: context.now } : {}),
    ...(context.onRateLimit ? { onRateLimit: context.onRateLimit } : {}),
  };
  switch (credentials.platform) {
    case 'bluesky': {
      const options: BlueskyOptions = {
        ...common,
        service: settings.service ?? 'https://bsky.social',
        identifier: settings.identifier ?? secrets.identifier ?? account.handle,
        password: secrets.password!,
        ...(context.blueskySessions ? { sessions: context.blueskySessions } : {}),
        ...(context.credentialState ? { credentialState: context.credentialState } : {}),
      };
      return createBlueskyAdapter(options);
    }
    case 'mastodon':
      return createMastodonAdapter({ ...common, url: settings.url!, accessToken: secrets.accessToken! });
    case 'telegram':
      return createTelegramAdapter({
        ...common,
        botToken: secrets.botToken!,
        chatId: settings.chatId!,
        ...(settings.apiRoot ? { apiRoot: settings.apiRoot } : {}),
        ...(context.telegramHistory ? { history: context.telegramHistory } : {}),
      });
    case 'discord':
      if (secrets.botToken)
        return createDiscordBotAdapter({
          ...common,
          botToken: secrets.botToken,
          channelId: settings.channelId!,
          ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
          ...(settings.guildId ? { guildId: settings.guildId } : {}),
        });
      return createDiscordAdapter({
        ...common,
        webhookUrl: secrets.webhookUrl!,
        ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
        ...(settings.username ? { username: settings.username } : {}),
      });
    case 'x':
      return createXAdapter({
        ...common,
        auth: secrets.appKey
          ? {
              kind: 'oauth1',
              appKey: secrets.appKey,
              appSecret: secrets.appSecret ?? '',
              accessToken: secrets.accessToken!,
              accessSecret: secrets.accessSecret ?? '',
            }
          : {
              kind: 'oauth2',
              accessToken: secrets.accessToken!,
              ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
              ...(secrets.clientId ? { clientId: secrets.clientId } : {}),
              ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
            },
        ...(settings.userId ? { userId: settings.userId } : {}),
        ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
        ...(context.onXTokens ? { onTokens: context.onXTokens } : {}),
        ...(settings.tokenUrl ? { tokenUrl: settings.tokenUrl } : {}),
        ...(context.credentialState ? { credentialState: context.credentialState } : {}),
      });
    case 'outbox':
      throw new Error(`credentials.${credentials.name}: the outbox takes no credentials`);
    default: {
      const never: never = credentials.platform;
      throw new Error(`unknown platform ${String(never)}`);
    }
  }
}
