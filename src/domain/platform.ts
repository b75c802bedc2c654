/** Platforms an account can publish to. `outbox` records what would be sent. */
export const PLATFORMS = ['x', 'bluesky', 'mastodon', 'telegram', 'discord', 'outbox'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
