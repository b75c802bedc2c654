export * from './score-card.ts';
