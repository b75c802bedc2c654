export { parseEspnScoreboard, type ScoreboardGame } from './scoreboard.ts';
export { type ParsedGame, parseEspnSummary } from './summary.ts';
