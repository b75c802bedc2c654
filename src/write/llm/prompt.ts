import type { GameEvent } from '../../domain/event.ts';
import type { GameFacts, PlayerFacts, StatLine, TeamFacts } from '../../domain/facts.ts';
import { SPORT_OF, type Sport } from '../../domain/league.ts';
import type { Claim } from '../../domain/verdict.ts';
import type { WriteRequest } from '../writer.ts';
import type { LlmPrompt } from './types.ts';

/** What went wrong with a previous draft, for a repair request. */
export interface RepairNote {
  previous: string;
  /** The contradicted claims as the verifier found them. */
  contradicted: readonly Claim[];
}

/** Stats a final's box-score leaders are chosen by, per sport (canonical names of `StatLine`). */
const LEADER_STATS: Record<Sport, readonly string[]> = {
  basketball: ['points', 'rebounds', 'assists', 'steals', 'blocks', 'threePointFieldGoalsMade'],
  football: [
    'passing.passingYards',
    'passing.passingTouchdowns',
    'rushing.rushingYards',
    'receiving.receivingYards',
    'receiving.receptions',
    'defensive.sacks',
  ],
  baseball: ['hits', 'homeRuns', 'RBIs', 'strikeouts'],
  hockey: ['goals', 'assists', 'saves'],
};

const SYSTEM = [
  'You write one social media post about a live sports event, in the voice described in the request.',
  'The request is JSON. Its "facts" are the only truth: state no number, name, record, streak, venue or',
  'date that is not in "facts", do not round or add numbers up, and do not guess what happens next.',
  'Stay under "maxLength" characters (on x, every emoji counts 2). Never use a word from "voice.avoidWords".',
  'Use only emoji from "voice.emoji" and hashtags from "voice.hashtags" (written with "#"), or none.',
  'Write in the language "voice.language". If "repair" is present, your previous draft stated something the',
  'facts contradict: write a new post that does not repeat those mistakes.',
  'Answer with a JSON object and nothing else: {"text": "<the post>"}',
].join('\n');

function team(t: TeamFacts, score: number): Record<string, unknown> {
  return {
    name: t.name,
    location: t.location,
    abbreviation: t.abbreviation,
    score,
    ...(t.record ? { record: t.record } : {}),
  };
}

function nonZero(stats: StatLine): StatLine {
  const out: StatLine = {};
  for (const [k, v] of Object.entries(stats)) if (v !== 0) out[k] = v;
  return out;
}

/** The top player of each team in each leader stat (ties: the first in box-score order). */
export function boxScoreLeaders(
  game: GameFacts,
): { stat: string; team: string; player: string; value: number }[] {
  const sport = game.sport ?? SPORT_OF[game.league];
  const out: { stat: string; team: string; player: string; value: number }[] = [];
  for (const side of [game.away, game.home]) {
    const players = game.players.filter((p) => p.teamId === side.id && !p.didNotPlay);
    for (const stat of LEADER_STATS[sport]) {
      let best: PlayerFacts | undefined;
      for (const p of players) {
        const v = p.stats[stat] ?? 0;
        if (v > 0 && (!best || v > (best.stats[stat] ?? 0))) best = p;
      }
      if (best) out.push({ stat, team: side.abbreviation, player: best.name, value: best.stats[stat]! });
    }
  }
  return out;
}

/** The facts of an event as plain JSON data: what the model may state, and nothing else. */
export function promptFacts(event: GameEvent): Record<string, unknown> {
  const g = event.game;
  const abbr = (teamId: string | undefined) =>
    teamId === g.home.id ? g.home.abbreviation : teamId === g.away.id ? g.away.abbreviation : undefined;
  const actor = abbr(event.teamId);
  return {
    league: event.league,
    event: event.kind,
    period: event.period,
    regulationPeriods: g.regulationPeriods,
    clock: event.clock,
    away: team(g.away, event.awayScore),
    home: team(g.home, event.homeScore),
    play: event.text,
    ...(actor ? { team: actor } : {}),
    ...(event.scoreValue > 0 ? { pointsOnPlay: event.scoreValue } : {}),
    ...(Object.keys(event.detail).length > 0 ? { detail: event.detail } : {}),
    players: event.players.map((p) => ({ name: p.name, team: abbr(p.teamId), stats: nonZero(p.stats) })),
    ...(event.kind === 'final'
      ? {
          final: true,
          linescores: { away: g.away.linescores, home: g.home.linescores },
          leaders: boxScoreLeaders(g),
          ...(g.venue ? { venue: g.venue.name } : {}),
          ...(g.note ? { note: g.note } : {}),
        }
      : {}),
  };
}

/**
 * Builds the prompt of a request: fixed instructions (the same for every call, so providers that cache
 * prompt prefixes can), and the request as JSON data: facts, voice, platform and its limit, the side
 * the account is on, the variant, and the mistakes to repair when `repair` is given.
 */
export function buildPrompt(req: WriteRequest, repair?: RepairNote): LlmPrompt {
  const { voice } = req;
  const user = {
    platform: req.platform,
    maxLength: req.maxLength,
    follows: req.teams.length > 0 ? req.teams : 'the whole league (neutral)',
    significance: { score: Number(req.significance.score.toFixed(2)), reasons: req.significance.reasons },
    variant: req.variant,
    ...(req.variant > 0 ? { variantNote: `variant ${req.variant}: open differently from variant 0` } : {}),
    // An experiment arm's instruction (only when set, so other prompts are unchanged).
    ...(req.instruction
      ? { styleInstruction: `${req.instruction} (follow it within every rule above)` }
      : {}),
    voice: {
      persona: voice.persona,
      tone: voice.tone,
      emoji: voice.emoji,
      hashtags: voice.hashtags,
      useWords: voice.useWords,
      avoidWords: voice.avoidWords,
      examples: voice.examples,
      language: voice.language,
    },
    facts: promptFacts(req.event),
    ...(repair
      ? {
          repair: {
            previous: repair.previous,
            mistakes: repair.contradicted.map(
              (c) => `"${c.text}" is wrong${c.expected ? `: the facts say ${c.expected}` : ''}`,
            ),
          },
        }
      : {}),
  };
  return {
    system: SYSTEM,
    user: JSON.stringify(user),
    // A post is at most a few hundred characters; JSON framing adds a few tokens.
    maxOutputTokens: Math.min(1024, Math.ceil(req.maxLength / 2) + 64),
    ...(req.variant > 0 ? { temperature: 0.9 } : {}),
  };
}
