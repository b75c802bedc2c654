import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { PermanentPublishError, TransientPublishError } from '../errors.ts';
import { classifyNetwork, classifyStatus, comparableText } from '../http.ts';
import type {
  ImageAttachment,
  PlatformAdapter,
  PublishedPost,
  PublishRequest,
  RateLimitObservation,
} from '../platform.ts';

/**
 * Reads a chat's recent messages as the bot sent them. The Bot API cannot
 * read a chat's history, so reconciliation needs another view of the chat (a
 * user session, or the emulator's client view in tests).
 */
export interface TelegramHistory {
  /** `text`: the message's text, or a photo's caption. */
  recent(chatId: string, signal: AbortSignal): Promise<{ messageId: number; text: string }[]>;
}

export interface TelegramOptions {
  botToken: string;
  /** Channel (@name or -100...) or group id to post in. */
  chatId: string;
  accountId: string;
  /** Default: https://api.telegram.org (point it at a local Bot API server or an emulator). */
  apiRoot?: string;
  /** Without it `find` cannot tell, and uncertain publishes wait for an operator. */
  history?: TelegramHistory;
  onRateLimit?: (observation: RateLimitObservation) => void;
  now?: () => number;
}

/** Telegram's limit on a message, counted in UTF-16 code units after entity parsing (we send plain text). */
export const TELEGRAM_MAX_TEXT = 4096;
/** Telegram's limit on a photo's caption (sendPhoto: "0-1024 characters after entities parsing"). */
export const TELEGRAM_MAX_CAPTION = 1024;

/**
 * Telegram through grammy's `Api` (no polling bot: only the methods we call).
 * A thread is a chain of replies (`reply_parameters`). Over the flood limit
 * Telegram answers 429 with `parameters.retry_after` seconds, honoured exactly.
 *
 * Images: the first image goes out with `sendPhoto` (one photo per message;
 * further images are not sent). When the text fits a caption (1,024
 * characters) it is one message, the photo with the text as its caption.
 * When it does not, the text goes first as a message (that message is the
 * post, and what `find` matches) and the photo follows as a reply to it
 * without a caption: text first, so a crash between the two leaves a post
 * that reconciliation finds, never a lone photo that would be sent again. A
 * photo that fails after the text is out is dropped rather than failing a
 * post that exists (a retry would publish the text twice). Telegram has no
 * alt text for photos: the alt text is not sent; the caption (the post's
 * text) says what the card shows.
 */
export function createTelegramAdapter(options: TelegramOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const api = new Api(options.botToken, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  const chat = options.chatId;

  function classify(error: unknown, what: string, write: boolean): Error {
    if (error instanceof PermanentPublishError) return error;
    if (error instanceof GrammyError) {
      const message = `telegram ${what}: ${error.error_code} ${error.description}`;
      if (error.error_code === 429) {
        const seconds = error.parameters.retry_after ?? 30;
        const resetAt = now() + seconds * 1000;
        options.onRateLimit?.({
          platform: 'telegram',
          accountId: options.accountId,
          scope: `chat:${chat}`,
          remaining: 0,
          resetAt,
          exceeded: true,
        });
        return classifyStatus(429, message, { retryAt: resetAt, write, now: now(), cause: error });
      }
      // Telegram answers 401 for a revoked token, 403 when the bot was removed from the chat.
      if (error.error_code === 403) return new PermanentPublishError(message, { cause: error });
      return classifyStatus(error.error_code, message, { write, now: now(), cause: error });
    }
    if (error instanceof HttpError) return classifyNetwork(error.error, `telegram ${what}`, write);
    return classifyNetwork(error, `telegram ${what}`, write);
  }

  const id = (messageId: number): string => `${chat}:${messageId}`;
  const urlOf = (messageId: number): string | undefined =>
    chat.startsWith('@') ? `https://t.me/${chat.slice(1)}/${messageId}` : undefined;

  return {
    platform: 'telegram',
    capabilities: { threads: true, images: true, canFind: options.history !== undefined },

    async publish(request, signal) {
      for (const text of [request.text, ...(request.thread ?? [])]) {
        if (text.length === 0 || text.length > TELEGRAM_MAX_TEXT)
          throw new PermanentPublishError(
            `telegram: a message must have 1 to ${TELEGRAM_MAX_TEXT} characters, got ${text.length}`,
          );
      }
      const photo = request.images?.[0];
      try {
        const first =
          photo && request.text.length <= TELEGRAM_MAX_CAPTION
            ? await api.sendPhoto(chat, inputFile(photo), { caption: request.text }, grammySignal(signal))
            : await api.sendMessage(chat, request.text, continuation(request), grammySignal(signal));
        if (photo && !('photo' in first)) {
          await api
            .sendPhoto(
              chat,
              inputFile(photo),
              { reply_parameters: { message_id: first.message_id } },
              grammySignal(signal),
            )
            .catch((error: unknown) => {
              // Only a rate limit is worth knowing about (it is recorded); the post itself is out.
              classify(error, 'sendPhoto', false);
            });
        }
        const url = urlOf(first.message_id);
        const out: PublishedPost = {
          platformPostId: id(first.message_id),
          ...(url ? { url } : {}),
          feeUsdMicros: 0,
        };
        if (request.thread) {
          out.threadPostIds = [];
          let parent = first.message_id;
          for (const part of request.thread) {
            const reply = await api.sendMessage(
              chat,
              part,
              { reply_parameters: { message_id: parent } },
              grammySignal(signal),
            );
            out.threadPostIds.push(id(reply.message_id));
            parent = reply.message_id;
          }
        }
        return out;
      } catch (error) {
        throw classify(error, photo ? 'sendPhoto/sendMessage' : 'sendMessage', true);
      }
    },

    async find(request, signal) {
      if (!options.history)
        throw new TransientPublishError(
          `telegram: the Bot API cannot read back chat ${chat}; configure a history reader or confirm post ${request.idempotencyKey} by hand`,
        );
      const wanted = comparableText(request.text);
      const messages = await options.history.recent(chat, signal);
      const found = messages.find((m) => comparableText(m.text) === wanted);
      if (!found) return null;
      const url = urlOf(found.messageId);
      return { platformPostId: id(found.messageId), ...(url ? { url } : {}), feeUsdMicros: 0 };
    },

    async delete(platformPostId, signal) {
      const messageId = Number(platformPostId.slice(platformPostId.lastIndexOf(':') + 1));
      try {
        await api.deleteMessage(chat, messageId, grammySignal(signal));
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 400) return; // already gone
        throw classify(error, 'deleteMessage', false);
      }
    },
  };
}

function inputFile(image: ImageAttachment): InputFile {
  return new InputFile(image.data, image.mimeType === 'image/png' ? 'score-card.png' : 'score-card.jpg');
}

/** A continuation of a thread replies to its parent (ids are "chat:message"); a new post to nothing. */
function continuation(request: PublishRequest): { reply_parameters?: { message_id: number } } {
  const parent = request.continueFrom?.parentId;
  if (!parent) return {};
  return { reply_parameters: { message_id: Number(parent.slice(parent.lastIndexOf(':') + 1)) } };
}

/** grammy types its signal with the `abort-controller` polyfill's class; the platform AbortSignal is what it uses at run time. */
function grammySignal(signal: AbortSignal): Parameters<Api['sendMessage']>[3] {
  return signal as unknown as Parameters<Api['sendMessage']>[3];
}
