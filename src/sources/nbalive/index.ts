export { nbaLiveGameId, parseNbaLiveBoxscore } from './boxscore.ts';
export { displayClock } from './clock.ts';
export {
  ESPN_TO_NBA_TRICODE,
  type EspnGameRef,
  type EspnTeamRef,
  matchNbaGame,
  sameTeam,
} from './game-match.ts';
export { deltasOf, nbaLiveEventId, type ParsedNbaLiveGame, parseNbaLivePlayByPlay } from './playbyplay.ts';
export {
  type NbaScoreboardGame,
  type NbaScoreboardTeam,
  parseNbaLiveScoreboard,
} from './scoreboard.ts';
