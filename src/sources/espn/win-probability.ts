import type { GameEvent } from '../../domain/index.ts';
import type { EspnPlay } from './schema.ts';

/** Win probability as an event carries it. */
export interface PlayWinProbability {
  /** Home team's chance to win after the play, in percent (0..100, one decimal). */
  homeWinPct: number;
  /**
   * Change of `homeWinPct` since the previous play that had one, in percentage
   * points (positive: toward the home team). Absent for the first such play.
   */
  homeWinSwing?: number;
  /** Chance of a tie after the play, in percent, when the feed states one above 0 (football). */
  tiePct?: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Win probability per play id, with the swing since the previous play that
 * had one, in feed order. ESPN states `homeWinPercentage` as a share (0.57);
 * it is converted to percent here so that reasons read "swung 18 points".
 * Plays without an entry get none (a feed may cover only part of a game).
 */
export function winProbabilityByPlay(
  plays: readonly EspnPlay[],
  entries: readonly { playId: string; homeWinPercentage: number; tiePercentage?: number | undefined }[],
): Map<string, PlayWinProbability> {
  const byId = new Map(entries.map((e) => [e.playId, e]));
  const out = new Map<string, PlayWinProbability>();
  let previous: number | undefined;
  for (const play of plays) {
    const entry = byId.get(play.id);
    if (!entry) continue;
    const pct = Math.min(100, Math.max(0, entry.homeWinPercentage * 100));
    const wp: PlayWinProbability = { homeWinPct: round1(pct) };
    if (previous !== undefined) wp.homeWinSwing = round1(pct - previous);
    if (entry.tiePercentage !== undefined && entry.tiePercentage > 0)
      wp.tiePct = round1(entry.tiePercentage * 100);
    out.set(play.id, wp);
    previous = pct;
  }
  return out;
}

/** Adds `homeWinPct`, `homeWinSwing` and `tiePct` to an event's detail (when known). */
export function addWinProbability(detail: GameEvent['detail'], wp: PlayWinProbability | undefined): void {
  if (!wp) return;
  detail.homeWinPct = wp.homeWinPct;
  if (wp.homeWinSwing !== undefined) detail.homeWinSwing = wp.homeWinSwing;
  if (wp.tiePct !== undefined) detail.tiePct = wp.tiePct;
}
