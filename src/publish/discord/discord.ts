import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { PermanentPublishError, TransientPublishError } from '../errors.ts';
import { classifyNetwork, classifyStatus } from '../http.ts';
import type { PlatformAdapter, RateLimitObservation } from '../platform.ts';

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

/** Discord's limit on a message's content. */
export const DISCORD_MAX_CONTENT = 2000;

/** Splits a webhook URL into API base, id and token; throws naming what is wrong. */
export function parseWebhookUrl(url: string): { apiBase: string; id: string; token: string } {
  const m = /^(https?:\/\/[^/]+(?:\/[^/]+)*?\/api)(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)\/?$/.exec(url);
  if (!m) throw new Error('discord webhookUrl: expected https://discord.com/api/webhooks/ID/TOKEN');
  return { apiBase: m[1]!, id: m[2]!, token: m[3]! };
}

/**
 * Discord webhooks through `@discordjs/rest`. Messages are executed with
 * `?wait=true` so Discord answers with the message (and its id) instead of a
 * bare 204. `@discordjs/rest` would retry 429s and 5xx on its own, forever
 * for 429s: here it rejects on every rate limit (RateLimitedError with
 * Discord's reset) and never retries, so a write is sent once per attempt and
 * the queue decides. A 404 means the webhook was deleted: PermanentPublishError,
 * the webhook is not used again by this adapter.
 *
 * Webhooks cannot list a channel's messages, so `find` cannot tell
 * (capabilities.canFind is false): an uncertain publish waits for an operator.
 */
export function createDiscordAdapter(options: DiscordOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const hook = parseWebhookUrl(options.webhookUrl);
  const rest = new REST({
    version: '10',
    api: options.apiBase ?? hook.apiBase,
    retries: 0,
    rejectOnRateLimit: () => true,
    globalRequestsPerSecond: 50,
  });
  const route = `/webhooks/${hook.id}/${hook.token}` as const;
  let gone: string | null = null;

  function classify(error: unknown, what: string, write: boolean): Error {
    if (error instanceof PermanentPublishError) return error;
    if (error instanceof RateLimitError) {
      const resetAt = now() + Math.max(error.retryAfter, error.timeToReset, 0);
      options.onRateLimit?.({
        platform: 'discord',
        accountId: options.accountId,
        scope: error.global ? 'global' : `bucket:${error.hash}`,
        limit: error.limit,
        remaining: 0,
        resetAt,
        exceeded: true,
      });
      return classifyStatus(429, `discord ${what}: rate limited (${error.scope})`, {
        retryAt: resetAt,
        write,
        now: now(),
        cause: error,
      });
    }
    if (error instanceof DiscordAPIError || error instanceof HTTPError) {
      const message = `discord ${what}: ${error.status} ${error.message}`;
      if (error.status === 404) {
        gone = message;
        return new PermanentPublishError(`${message} (the webhook is gone: not used again)`, {
          cause: error,
        });
      }
      return classifyStatus(error.status, message, { write, now: now(), cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError')
      return classifyNetwork(error, `discord ${what} timed out`, write);
    return classifyNetwork(error, `discord ${what}`, write);
  }

  return {
    platform: 'discord',
    capabilities: { threads: false, images: true, canFind: false },

    async publish(request, signal) {
      if (gone) throw new PermanentPublishError(`discord: webhook refused earlier: ${gone}`);
      if (request.thread && request.thread.length > 0)
        throw new PermanentPublishError(
          'discord: webhooks cannot post reply chains; send the thread as one message',
        );
      if (request.text.length === 0 || request.text.length > DISCORD_MAX_CONTENT)
        throw new PermanentPublishError(
          `discord: content must have 1 to ${DISCORD_MAX_CONTENT} characters, got ${request.text.length}`,
        );
      const images = (request.images ?? []).slice(0, 10);
      try {
        const message = (await rest.post(route, {
          auth: false,
          query: new URLSearchParams({ wait: 'true' }),
          signal,
          body: {
            content: request.text,
            ...(options.username ? { username: options.username } : {}),
            allowed_mentions: { parse: [] },
            ...(images.length > 0
              ? {
                  attachments: images.map((img, i) => ({
                    id: i,
                    description: img.alt.slice(0, 1024),
                    filename: `card-${i}.png`,
                  })),
                }
              : {}),
          },
          ...(images.length > 0
            ? {
                files: images.map((img, i) => ({
                  name: `card-${i}.png`,
                  data: Buffer.from(img.data),
                  contentType: img.mimeType,
                  key: `files[${i}]`,
                })),
              }
            : {}),
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
        if (error instanceof DiscordAPIError && error.status === 404 && error.code === 10008) return; // unknown message
        throw classify(error, 'delete message', false);
      }
    },
  };
}
