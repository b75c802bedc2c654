export { shortNameOf } from './game-facts.ts';
export { type LiveParseStats, LiveSummaryParser } from './live-parser.ts';
export { RunningGame, type StatDelta } from './running-game.ts';
export { parseEspnScoreboard, type ScoreboardGame } from './scoreboard.ts';
export { type ParsedGame, parseEspnSummary } from './summary.ts';
