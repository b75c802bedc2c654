export { nbaLiveGameId, parseNbaLiveBoxscore } from './boxscore.ts';
export { displayClock } from './clock.ts';
export { deltasOf, nbaLiveEventId, type ParsedNbaLiveGame, parseNbaLivePlayByPlay } from './playbyplay.ts';
