import type { EventKind } from '../../domain/event.ts';
import { clutch } from './clutch.ts';
import { final } from './final.ts';
import { fieldGoal, touchdown } from './football.ts';
import { gameStart } from './game-start.ts';
import { leadChange, tie } from './lead.ts';
import { milestone } from './milestone.ts';
import { periodEnd } from './period-end.ts';
import { run } from './run.ts';
import { play, score } from './score.ts';
import { scoreCorrection } from './score-correction.ts';
import { turnover } from './turnover.ts';
import type { KindTemplates } from './types.ts';

export { winnerOf } from './final.ts';
export type { KindTemplates, Phrase } from './types.ts';

/** Templates for every event kind; a `Record` over `EventKind` so a new kind fails the type check. */
export const TEMPLATES: Record<EventKind, KindTemplates> = {
  game_start: gameStart,
  score,
  lead_change: leadChange,
  tie,
  run,
  clutch,
  period_end: periodEnd,
  final,
  milestone,
  touchdown,
  field_goal: fieldGoal,
  turnover,
  play,
  score_correction: scoreCorrection,
};
