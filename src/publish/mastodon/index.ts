export * from './mastodon.ts';
