import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { PermanentPublishError } from '../errors.ts';
import { classifyNetwork, classifyStatus } from '../http.ts';
import type { ImageAttachment, RateLimitObservation } from '../platform.ts';

/** Discord's limit on a message's content. */
export const DISCORD_MAX_CONTENT = 2000;

/**
 * A `@discordjs/rest` client that never retries and rejects on every rate
 * limit: `@discordjs/rest` would otherwise retry 429s (forever) and 5xx on its
 * own, and a write must be sent once per attempt, the queue deciding the rest.
 */
export function discordRest(apiBase: string, token?: string): REST {
  const rest = new REST({
    version: '10',
    api: apiBase,
    retries: 0,
    rejectOnRateLimit: () => true,
    globalRequestsPerSecond: 50,
  });
  if (token) rest.setToken(token);
  return rest;
}

/**
 * The parts of a message that carry images (at most 10, Discord's limit): the
 * `attachments` of the body, with each image's alt text as its description,
 * and the multipart `files` of the request. Empty objects without images.
 */
export function imageParts(images: readonly ImageAttachment[]): {
  body: { attachments?: { id: number; description: string; filename: string }[] };
  request: { files?: { name: string; data: Buffer; contentType: string; key: string }[] };
} {
  const sent = images.slice(0, 10);
  if (sent.length === 0) return { body: {}, request: {} };
  return {
    body: {
      attachments: sent.map((img, i) => ({
        id: i,
        description: img.alt.slice(0, 1024),
        filename: `card-${i}.png`,
      })),
    },
    request: {
      files: sent.map((img, i) => ({
        name: `card-${i}.png`,
        data: Buffer.from(img.data),
        contentType: img.mimeType,
        key: `files[${i}]`,
      })),
    },
  };
}

export interface ClassifyContext {
  accountId: string;
  now: () => number;
  onRateLimit?: ((observation: RateLimitObservation) => void) | undefined;
}

/**
 * Turns what `@discordjs/rest` threw into the queue's errors: a rate limit
 * becomes RateLimitedError at Discord's reset (bucket or global, reported to
 * `onRateLimit`), a status goes through `classifyStatus` (a 5xx on a write is
 * uncertain), an abort or a dropped connection through `classifyNetwork`.
 * 404s are left to the caller (`notFound`), which knows what was missing.
 */
export function classifyDiscord(
  error: unknown,
  what: string,
  write: boolean,
  context: ClassifyContext,
  notFound?: (error: DiscordAPIError | HTTPError, message: string) => Error,
): Error {
  if (error instanceof PermanentPublishError) return error;
  const now = context.now();
  if (error instanceof RateLimitError) {
    const resetAt = now + Math.max(error.retryAfter, error.timeToReset, 0);
    context.onRateLimit?.({
      platform: 'discord',
      accountId: context.accountId,
      scope: error.global ? 'global' : `bucket:${error.hash}`,
      limit: error.limit,
      remaining: 0,
      resetAt,
      exceeded: true,
    });
    return classifyStatus(429, `discord ${what}: rate limited (${error.scope})`, {
      retryAt: resetAt,
      write,
      now,
      cause: error,
    });
  }
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const message = `discord ${what}: ${error.status} ${error.message}`;
    if (error.status === 404 && notFound) return notFound(error, message);
    return classifyStatus(error.status, message, { write, now, cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError')
    return classifyNetwork(error, `discord ${what} timed out`, write);
  return classifyNetwork(error, `discord ${what}`, write);
}

/** Discord's "unknown message" (the message is already gone). */
export function isUnknownMessage(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.status === 404 && error.code === 10008;
}
