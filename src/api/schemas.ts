import { z } from 'zod';
import { LEAGUES } from '../domain/league.ts';
import { PLATFORMS } from '../domain/platform.ts';
import { POST_STATUSES } from '../domain/post.ts';
import { ROLES } from '../store/tokens.ts';
import { USER_ROLES } from '../store/users.ts';
import { WEBHOOK_EVENTS } from '../store/webhooks.ts';

/**
 * The API's input shapes. Identifiers are restricted to the characters the
 * engine makes them of, so injection attempts are refused at the door (and
 * every value is a bound parameter further in anyway).
 */

export const AccountId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'expected an account id');
export const PostId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a post id');
export const ObjectId = z.string().regex(/^[a-z]{3}_[A-Za-z0-9_-]{1,64}$/, 'expected an id such as tok_…');
/** A person's or token's name: letters, digits, space and . _ @ -. */
export const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._@-]*$/u, 'expected letters, digits, space or . _ @ -');
export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected letters, digits and . _ : -');

const HTML_TAG = /<\s*\/?\s*[a-z!?][^>]*>/i;

/** The text of an edited post: no markup (a post is plain text), no control characters. */
export const PostText = z
  .string()
  .min(1)
  .max(5000)
  .refine((t) => !HTML_TAG.test(t), 'HTML markup is not allowed in a post')
  .refine(
    (t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t),
    'control characters are not allowed',
  );

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(20));

export const PostListQuery = z.strictObject({
  status: csv(z.enum(POST_STATUSES)).optional(),
  account: AccountId.optional(),
  league: z.enum(LEAGUES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z
    .string()
    .max(300)
    .regex(/^[A-Za-z0-9_-]*$/, 'expected a cursor from a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const IdParams = z.strictObject({ id: PostId });
export const AccountParams = z.strictObject({ id: AccountId });
export const PlatformParams = z.strictObject({ platform: z.enum(PLATFORMS) });
export const ObjectParams = z.strictObject({ id: ObjectId });
export const NameParams = z.strictObject({ name: Name });
export const SecretParams = z.strictObject({ name: SecretName });

export const NoteBody = z.strictObject({ note: z.string().max(500).optional() });
export const EditBody = z.strictObject({ text: PostText });
export const LoginBody = z.strictObject({ name: Name, password: z.string().min(1).max(1024) });
export const TokenBody = z.strictObject({ name: Name, role: z.enum(ROLES) });
export const UserBody = z.strictObject({
  name: Name,
  role: z.enum(USER_ROLES),
  password: z.string().min(12).max(1024),
});
export const WebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .default([...WEBHOOK_EVENTS]),
});
export const SecretBody = z.strictObject({ value: z.string().min(1).max(20_000) });
export const RotateBody = z.strictObject({ key: z.string().max(100).optional() });

export const GamesQuery = z.strictObject({
  league: z.enum(LEAGUES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const EventsQuery = z.strictObject({
  game: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,100}$/, 'expected a game id')
    .optional(),
  league: z.enum(LEAGUES).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const CostsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  account: AccountId.optional(),
});
export const AuditQuery = z.strictObject({
  target: z.string().max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const DeliveriesQuery = z.strictObject({
  endpoint: ObjectId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Documentation shape of a post in lists. */
export const PostSummarySchema = z.object({
  id: z.string(),
  accountId: z.string(),
  eventId: z.string(),
  league: z.string(),
  status: z.enum(POST_STATUSES),
  priority: z.number(),
  significance: z.number(),
  text: z.string(),
  writer: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  platformUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  /** Latest engagement read back from the platform: published posts only (null until read). */
  engagement: z
    .object({
      likes: z.number(),
      reposts: z.number(),
      replies: z.number(),
      quotes: z.number().nullable(),
      collectedAt: z.string(),
    })
    .nullable()
    .optional(),
});
export const PostListResponse = z.object({
  posts: z.array(PostSummarySchema),
  nextCursor: z.string().nullable(),
});
export const ActionResponse = z.object({ id: z.string(), status: z.enum(POST_STATUSES) });
export const ErrorResponse = z.object({ error: z.string() });

export const EngagementQuery = z.strictObject({
  account: AccountId.optional(),
  days: z.coerce.number().int().min(1).max(365).default(30),
});
export const BestTimesQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(90),
  minSamples: z.coerce.number().int().min(1).max(1000).default(3),
});
