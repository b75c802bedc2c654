export * from './budget.ts';
export * from './fees.ts';
export * from './x.ts';
