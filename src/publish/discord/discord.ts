import { PermanentPublishError, TransientPublishError } from '../errors.ts';
import type { PlatformAdapter, RateLimitObservation } from '../platform.ts';
import { classifyDiscord, DISCORD_MAX_CONTENT, discordRest, imageParts, isUnknownMessage } from './rest.ts';

export { DISCORD_MAX_CONTENT } from './rest.ts';

export interface DiscordOptions {
  /** https://discord.com/api/webhooks/ID/TOKEN (a secret: the token lets anyone post). */
  webhookUrl: string;
  accountId: string;
  /** Default: the API base of `webhookUrl` (https://discord.com/api). */
  apiBase?: string;
  /** Display name of the webhook's messages. Default: the webhook's own. */
  username?: string;
  onRateLimit?: (observation: RateLimitObservation) => void;
  now?: () => number;
}

/** Splits a webhook URL into API base, id and token; throws naming what is wrong. */
export function parseWebhookUrl(url: string): { apiBase: string; id: string; token: string } {
  const m = /^(https?:\/\/[^/]+(?:\/[^/]+)*?\/api)(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)\/?$/.exec(url);
  if (!m) throw new Error('discord webhookUrl: expected https://discord.com/api/webhooks/ID/TOKEN');
  return { apiBase: m[1]!, id: m[2]!, token: m[3]! };
}

/**
 * Discord webhooks through `@discordjs/rest`. Messages are executed with
 * `?wait=true` so Discord answers with the message (and its id) instead of a
 * bare 204. No internal retries (see `discordRest`): every rate limit is a
 * RateLimitedError with Discord's reset. A 404 means the webhook was deleted:
 * PermanentPublishError, the webhook is not used again by this adapter.
 *
 * Webhooks cannot list a channel's messages, so `find` cannot tell
 * (capabilities.canFind is false): an uncertain publish waits for an operator.
 * Use the bot mode (`createDiscordBotAdapter`) where reconciliation matters.
 * No threads either: the publisher sends a thread's parts joined into one
 * message when they fit, else the lead alone.
 */
export function createDiscordAdapter(options: DiscordOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const hook = parseWebhookUrl(options.webhookUrl);
  const rest = discordRest(options.apiBase ?? hook.apiBase);
  const route = `/webhooks/${hook.id}/${hook.token}` as const;
  let gone: string | null = null;
  const context = { accountId: options.accountId, now, onRateLimit: options.onRateLimit };

  function classify(error: unknown, what: string, write: boolean): Error {
    return classifyDiscord(error, what, write, context, (cause, message) => {
      gone = message;
      return new PermanentPublishError(`${message} (the webhook is gone: not used again)`, { cause });
    });
  }

  return {
    platform: 'discord',
    capabilities: { threads: false, images: true, canFind: false },

    async publish(request, signal) {
      if (gone) throw new PermanentPublishError(`discord: webhook refused earlier: ${gone}`);
      if ((request.thread && request.thread.length > 0) || request.continueFrom)
        throw new PermanentPublishError(
          'discord: webhooks cannot post reply chains; send the thread as one message',
        );
      if (request.text.length === 0 || request.text.length > DISCORD_MAX_CONTENT)
        throw new PermanentPublishError(
          `discord: content must have 1 to ${DISCORD_MAX_CONTENT} characters, got ${request.text.length}`,
        );
      const images = imageParts(request.images ?? []);
      try {
        const message = (await rest.post(route, {
          auth: false,
          query: new URLSearchParams({ wait: 'true' }),
          signal,
          body: {
            content: request.text,
            ...(options.username ? { username: options.username } : {}),
            allowed_mentions: { parse: [] },
            ...images.body,
          },
          ...images.request,
        })) as { id: string; channel_id: string; guild_id?: string };
        return {
          platformPostId: message.id,
          ...(message.guild_id
            ? { url: `https://discord.com/channels/${message.guild_id}/${message.channel_id}/${message.id}` }
            : {}),
          feeUsdMicros: 0,
        };
      } catch (error) {
        throw classify(error, 'execute webhook', true);
      }
    },

    async find(request) {
      throw new TransientPublishError(
        `discord: a webhook cannot read its channel back; confirm post ${request.idempotencyKey} by hand`,
      );
    },

    async delete(platformPostId, signal) {
      try {
        await rest.delete(`${route}/messages/${platformPostId}`, { auth: false, signal });
      } catch (error) {
        if (isUnknownMessage(error)) return;
        throw classify(error, 'delete message', false);
      }
    },
  };
}
