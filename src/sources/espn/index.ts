export { type ParsedGame, parseEspnSummary } from './summary.ts';
