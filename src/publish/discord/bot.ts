import { createHash } from 'node:crypto';
import { PermanentPublishError } from '../errors.ts';
import { comparableText } from '../http.ts';
import type { PlatformAdapter, PublishedPost, PublishRequest, RateLimitObservation } from '../platform.ts';
import { classifyDiscord, DISCORD_MAX_CONTENT, discordRest, imageParts, isUnknownMessage } from './rest.ts';

export interface DiscordBotOptions {
  /** The bot's token (a secret), sent as `Authorization: Bot <token>`. */
  botToken: string;
  /** The channel the account posts in (the bot needs Send Messages and Read Message History there). */
  channelId: string;
  accountId: string;
  /** Default: https://discord.com/api. */
  apiBase?: string;
  /** The channel's server, for message links. Default: none (published posts have no URL). */
  guildId?: string;
  /** How many recent messages of the channel `find` reads (1 to 100). Default: 50. */
  findDepth?: number;
  onRateLimit?: (observation: RateLimitObservation) => void;
  now?: () => number;
}

/** A message as Discord returns it (the fields we read). */
interface Message {
  id: string;
  channel_id: string;
  content: string;
  author: { id: string };
  nonce?: string | number;
  message_reference?: { message_id?: string };
}

/**
 * Discord's nonce for a publish: derived from the idempotency key (so every
 * attempt of one post or thread part sends the same nonce), 25 characters at
 * most as Discord requires.
 */
export function discordNonce(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

/**
 * Discord as a bot in one channel (`POST /channels/{id}/messages`), the mode
 * that can reconcile:
 *
 * - every message carries a nonce derived from the idempotency key with
 *   `enforce_nonce: true`: Discord answers a repeated nonce (within a few
 *   minutes) with the message it already has instead of posting a second one;
 * - `find` reads the channel's recent messages (`GET /channels/{id}/messages`)
 *   and matches the bot's own messages by nonce where Discord returns it, else
 *   by content, top-level for a new post and replying to `continueFrom.parentId`
 *   for a continuation; so an uncertain publish is decided from the channel
 *   itself, long after the nonce window;
 * - a thread is a reply chain (`message_reference`), images are attachments
 *   with their description.
 *
 * No internal retries (see `discordRest`). A 404 on publish means the channel
 * is gone or hidden from the bot: PermanentPublishError.
 */
export function createDiscordBotAdapter(options: DiscordBotOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const rest = discordRest(options.apiBase ?? 'https://discord.com/api', options.botToken);
  const channel = options.channelId;
  if (!/^\d+$/.test(channel)) throw new Error(`discord channelId: expected a snowflake id, got "${channel}"`);
  const context = { accountId: options.accountId, now, onRateLimit: options.onRateLimit };
  let me: Promise<string> | null = null;

  const classify = (error: unknown, what: string, write: boolean): Error =>
    classifyDiscord(
      error,
      what,
      write,
      context,
      (cause, message) =>
        new PermanentPublishError(`${message} (channel ${channel} is unknown or hidden from the bot)`, {
          cause,
        }),
    );

  const urlOf = (id: string): string | undefined =>
    options.guildId ? `https://discord.com/channels/${options.guildId}/${channel}/${id}` : undefined;

  const published = (id: string): PublishedPost => {
    const url = urlOf(id);
    return { platformPostId: id, ...(url ? { url } : {}), feeUsdMicros: 0 };
  };

  async function send(
    text: string,
    key: string,
    signal: AbortSignal,
    extra: { replyTo?: string; images?: PublishRequest['images'] },
  ): Promise<Message> {
    const images = imageParts(extra.images ?? []);
    return (await rest.post(`/channels/${channel}/messages`, {
      signal,
      body: {
        content: text,
        nonce: discordNonce(key),
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
        ...(extra.replyTo
          ? { message_reference: { message_id: extra.replyTo, fail_if_not_exists: true } }
          : {}),
        ...images.body,
      },
      ...images.request,
    })) as Message;
  }

  function self(signal: AbortSignal): Promise<string> {
    me ??= (rest.get('/users/@me', { signal }) as Promise<{ id: string }>).then(
      (u) => u.id,
      (error: unknown) => {
        me = null;
        throw error;
      },
    );
    return me;
  }

  return {
    platform: 'discord',
    capabilities: { threads: true, images: true, canFind: true },

    async publish(request, signal) {
      const parts = [request.text, ...(request.thread ?? [])];
      for (const text of parts) {
        if (text.length === 0 || text.length > DISCORD_MAX_CONTENT)
          throw new PermanentPublishError(
            `discord: content must have 1 to ${DISCORD_MAX_CONTENT} characters, got ${text.length}`,
          );
      }
      try {
        const first = await send(request.text, request.idempotencyKey, signal, {
          ...(request.continueFrom ? { replyTo: request.continueFrom.parentId } : {}),
          ...(request.images && !request.continueFrom ? { images: request.images } : {}),
        });
        const out = published(first.id);
        if (request.thread) {
          out.threadPostIds = [];
          let parent = first.id;
          for (const [i, part] of request.thread.entries()) {
            const reply = await send(part, `${request.idempotencyKey}#${i + 1}`, signal, { replyTo: parent });
            out.threadPostIds.push(reply.id);
            parent = reply.id;
          }
        }
        return out;
      } catch (error) {
        throw classify(error, 'create message', true);
      }
    },

    async find(request, signal) {
      try {
        const [author, messages] = await Promise.all([
          self(signal),
          rest.get(`/channels/${channel}/messages`, {
            signal,
            query: new URLSearchParams({
              limit: String(Math.max(1, Math.min(options.findDepth ?? 50, 100))),
            }),
          }) as Promise<Message[] | null>,
        ]);
        const nonce = discordNonce(request.idempotencyKey);
        const wanted = comparableText(request.text);
        const parent = request.continueFrom?.parentId;
        const found = (messages ?? []).find(
          (m) =>
            m.author.id === author &&
            (m.message_reference?.message_id ?? null) === (parent ?? null) &&
            (String(m.nonce ?? '') === nonce || comparableText(m.content) === wanted),
        );
        return found ? published(found.id) : null;
      } catch (error) {
        throw classify(error, 'list messages', false);
      }
    },

    async delete(platformPostId, signal) {
      try {
        await rest.delete(`/channels/${channel}/messages/${platformPostId}`, { signal });
      } catch (error) {
        if (isUnknownMessage(error)) return;
        throw classify(error, 'delete message', false);
      }
    },
  };
}
