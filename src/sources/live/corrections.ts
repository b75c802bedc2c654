import type { GameEvent, GameFacts } from '../../domain/index.ts';
import type { ScoreCorrection } from './play-differ.ts';

/** Score shift of a correction: how many points each side gained (or lost) by it. */
function shiftOf(c: ScoreCorrection): { away: number; home: number } {
  return {
    away: c.current.awayScore - c.previous.awayScore,
    home: c.current.homeScore - c.previous.homeScore,
  };
}

/** Event id of a correction: the play and the score it was corrected to. */
export function correctionEventId(correction: ScoreCorrection): string {
  return `${correction.eventId}:correction:${correction.current.awayScore}-${correction.current.homeScore}`;
}

/**
 * Turns the score corrections of one poll into `score_correction` events, one
 * per play the scorer actually changed.
 *
 * When a play's points change, the feed restates the score of every later play
 * as well; those follow-on changes carry the same shift as the play before
 * them and are not corrections of their own. So, in feed order, a correction
 * whose shift equals the previous correction's is folded into it; a different
 * shift starts a new one.
 *
 * Each event is the corrected play as now stated (its text, players and team)
 * with the game as it stands now (`facts`: score, period, clock, box score),
 * so the post grounds against current facts. `detail` keeps the play's old and
 * new score (`previousAwayScore`, `previousHomeScore`, `correctedAwayScore`,
 * `correctedHomeScore`), the shift (`awayShift`, `homeShift`), when the play
 * happened (`playPeriod`, `playClock`) and its id (`correctedEventId`).
 *
 * Ids are `<play id>:correction:<away>-<home>` (the score the play was
 * corrected to), so a correction is posted once however often the batch is
 * offered, and a later correction of the same play to another score is new.
 */
export function correctionEvents(
  corrections: readonly ScoreCorrection[],
  facts: GameFacts,
  polledAt: number,
): GameEvent[] {
  const out: GameEvent[] = [];
  let previousShift: { away: number; home: number } | undefined;
  for (const correction of corrections) {
    const shift = shiftOf(correction);
    const followOn = previousShift?.away === shift.away && previousShift.home === shift.home;
    previousShift = shift;
    if (followOn) continue;
    const play = correction.event;
    const event: GameEvent = {
      ...play,
      id: correctionEventId(correction),
      kind: 'score_correction',
      gameId: facts.gameId,
      occurredAt: polledAt,
      period: facts.period,
      clock: facts.clock,
      awayScore: facts.away.score,
      homeScore: facts.home.score,
      scoreValue: 0,
      detail: {
        correctedEventId: correction.eventId,
        previousAwayScore: correction.previous.awayScore,
        previousHomeScore: correction.previous.homeScore,
        correctedAwayScore: correction.current.awayScore,
        correctedHomeScore: correction.current.homeScore,
        awayShift: shift.away,
        homeShift: shift.home,
        playPeriod: play.period,
        playClock: play.clock,
        stablePolls: correction.stablePolls,
      },
      game: facts,
    };
    out.push(event);
  }
  return out;
}
