export * from './bluesky.ts';
