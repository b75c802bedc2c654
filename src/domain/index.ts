export * from './account.ts';
export * from './event.ts';
export * from './facts.ts';
export * from './league.ts';
export * from './platform.ts';
export * from './post.ts';
export * from './verdict.ts';
export * from './voice.ts';
