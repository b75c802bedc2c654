export * from './errors.ts';
export * from './outbox/index.ts';
export * from './platform.ts';
