/**
 * The lifecycle of a post. Every transition is stored with its time and reason.
 *
 *   drafted -> verified | rejected
 *   verified -> queued (or awaiting_approval -> queued | rejected)
 *   queued -> publishing | expired | cancelled
 *   publishing -> published | failed | unconfirmed | queued (retry after a transient error)
 *   unconfirmed -> published (found on the platform) | queued (confirmed absent)
 */
export const POST_STATUSES = [
  'drafted',
  'verified',
  'rejected',
  'awaiting_approval',
  'queued',
  'publishing',
  'published',
  'failed',
  'expired',
  'unconfirmed',
  'cancelled',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

const TRANSITIONS: Record<PostStatus, readonly PostStatus[]> = {
  drafted: ['verified', 'rejected'],
  verified: ['queued', 'awaiting_approval', 'rejected'],
  awaiting_approval: ['queued', 'rejected', 'cancelled'],
  rejected: [],
  queued: ['publishing', 'expired', 'cancelled'],
  publishing: ['published', 'failed', 'unconfirmed', 'queued'],
  unconfirmed: ['published', 'queued', 'failed'],
  published: [],
  failed: ['queued'],
  expired: [],
  cancelled: [],
};

export function canTransition(from: PostStatus, to: PostStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: PostStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Queue priority: lower runs first. Breaking news jumps the line. */
export const PRIORITY = { breaking: 0, high: 10, normal: 50, low: 90 } as const;

export function priorityFor(significance: number, breaking: boolean): number {
  if (breaking) return PRIORITY.breaking;
  if (significance >= 0.75) return PRIORITY.high;
  if (significance >= 0.4) return PRIORITY.normal;
  return PRIORITY.low;
}
