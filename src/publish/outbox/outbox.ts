import type { Platform } from '../../domain/platform.ts';
import type { PlatformAdapter, PublishedPost, PublishRequest } from '../platform.ts';

/** One message the outbox recorded: exactly what would have been sent. */
export interface OutboxMessage {
  id: number;
  idempotencyKey: string;
  accountId: string;
  platform: Platform;
  handle: string;
  text: string;
  sentAt: Date;
}

/** Where the outbox keeps its messages (the store implements it). */
export interface OutboxSink {
  /** Records a message once per idempotency key; a repeat returns the first record. */
  record(message: Omit<OutboxMessage, 'id'>): Promise<OutboxMessage>;
  findByKey(idempotencyKey: string): Promise<OutboxMessage | null>;
}

/**
 * The outbox platform: publishing records the text instead of sending it.
 * Accounts without credentials use it, so the engine runs anywhere. It keeps
 * the account's nominal platform, so lengths and fees are judged as they
 * would be there.
 */
export function createOutboxPlatform(sink: OutboxSink, now: () => number): PlatformAdapter {
  const toPublished = (m: OutboxMessage): PublishedPost => ({
    platformPostId: `outbox:${m.id}`,
    url: `outbox://${m.accountId}/${m.id}`,
    feeUsdMicros: 0,
  });
  return {
    platform: 'outbox',
    async publish(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost> {
      signal.throwIfAborted();
      const message = await sink.record({
        idempotencyKey: request.idempotencyKey,
        accountId: request.account.id,
        platform: request.account.platform,
        handle: request.account.handle,
        text: request.text,
        sentAt: new Date(now()),
      });
      return toPublished(message);
    },
    async find(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost | null> {
      signal.throwIfAborted();
      const message = await sink.findByKey(request.idempotencyKey);
      return message ? toPublished(message) : null;
    },
  };
}
