export * from './telegram.ts';
