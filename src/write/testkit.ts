/**
 * Builders and checks shared by the writer tests (and usable by other writers' tests, e.g. an LLM
 * writer proving the same properties). No test framework imports: plain functions.
 */
import type { EventKind, EventPlayer, GameEvent } from '../domain/event.ts';
import type { GameFacts, PlayerFacts, StatLine, TeamFacts } from '../domain/facts.ts';
import type { League } from '../domain/league.ts';
import { SPORT_OF } from '../domain/league.ts';
import type { Voice } from '../domain/voice.ts';

/** Four voices that exercise every tone and voice feature. */
export const VOICES: Voice[] = [
  {
    id: 'wire',
    persona: 'a neutral league wire',
    tone: 'neutral',
    emoji: [],
    hashtags: [],
    useWords: [],
    avoidWords: ['dominate', 'destroy'],
    examples: [],
    language: 'en',
  },
  {
    id: 'hype',
    persona: 'a loud fan page',
    tone: 'hype',
    emoji: ['🔥', '🏀', '💥'],
    hashtags: ['Playoffs', 'Hoops'],
    useWords: ['bucket', 'clutch'],
    avoidWords: ['lead'],
    examples: [],
    language: 'en-US',
  },
  {
    id: 'numbers',
    persona: 'a stats nerd',
    tone: 'analytical',
    emoji: ['📊'],
    hashtags: ['Analytics'],
    useWords: ['efficient'],
    avoidWords: ['Final', 'scores'],
    examples: [],
    language: 'en',
  },
  {
    id: 'dry',
    persona: 'a dry columnist',
    tone: 'wry',
    emoji: ['🙃'],
    hashtags: ['SportsTwitter'],
    useWords: ['naturally'],
    avoidWords: ['Naturally', 'Huge'],
    examples: [],
    language: 'fr',
  },
];

export interface TeamInput {
  id: string;
  name: string;
  location: string;
  abbreviation: string;
  score: number;
  record?: string;
}

function team(input: TeamInput, homeAway: 'home' | 'away'): TeamFacts {
  return {
    id: input.id,
    name: input.name,
    location: input.location,
    displayName: `${input.location} ${input.name}`,
    abbreviation: input.abbreviation,
    homeAway,
    score: input.score,
    linescores: [],
    ...(input.record ? { record: input.record } : {}),
    stats: {},
  };
}

/** A player of the box score. */
export function player(id: string, name: string, teamId: string, stats: StatLine): PlayerFacts {
  const [first = '', ...rest] = name.split(' ');
  return {
    id,
    name,
    shortName: `${first.charAt(0)}. ${rest.join(' ')}`,
    teamId,
    starter: true,
    didNotPlay: false,
    stats,
  };
}

/** A game in a league with two teams and the given players; period and clock of the moment. */
export function game(
  league: League,
  away: TeamInput,
  home: TeamInput,
  players: PlayerFacts[],
  moment: { period: number; clock: string; state?: GameFacts['state'] },
): GameFacts {
  const sport = SPORT_OF[league];
  return {
    gameId: `test:${league}`,
    league,
    sport,
    state: moment.state ?? 'in',
    startTime: '2025-06-01T00:00:00Z',
    period: moment.period,
    clock: moment.clock,
    regulationPeriods: sport === 'baseball' ? 9 : sport === 'hockey' ? 3 : 4,
    venue: { name: 'Test Arena', city: 'Testville' },
    away: team(away, 'away'),
    home: team(home, 'home'),
    players,
  };
}

/** An event of `kind` in `g`, scores taken from the game's team scores unless overridden. */
export function event(
  g: GameFacts,
  kind: EventKind,
  parts: Partial<Omit<GameEvent, 'game' | 'kind'>> & { players?: EventPlayer[] } = {},
): GameEvent {
  return {
    id: parts.id ?? `test:${g.league}:${kind}:${parts.sequence ?? 1}`,
    source: 'test',
    league: g.league,
    gameId: g.gameId,
    kind,
    sequence: parts.sequence ?? 1,
    occurredAt: parts.occurredAt ?? 0,
    text: parts.text ?? '',
    period: parts.period ?? g.period,
    clock: parts.clock ?? g.clock,
    awayScore: parts.awayScore ?? g.away.score,
    homeScore: parts.homeScore ?? g.home.score,
    ...(parts.teamId !== undefined ? { teamId: parts.teamId } : {}),
    scoreValue: parts.scoreValue ?? 0,
    players: parts.players ?? [],
    detail: parts.detail ?? {},
    game: g,
  };
}

/** The event player view of a box-score player. */
export function involved(p: PlayerFacts): EventPlayer {
  return { id: p.id, name: p.name, teamId: p.teamId, stats: p.stats };
}

const PLACEHOLDER = /[{}]|\bundefined\b|\bNaN\b|\bnull\b|\[object Object\]| {2}| ,/;

/** True when the text holds a placeholder or formatting slip. */
export function hasPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/**
 * Integers of `text` (hashtags removed) that are not among the event's facts: its scores, clock parts,
 * period, `detail` values, the stats of any player (event or box score) whose name the text mentions,
 * the teams' scores, and records or the note when the text quotes them. Empty = every number grounded.
 */
export function ungroundedNumbers(text: string, e: GameEvent): number[] {
  const allowed = new Set<number>([e.awayScore, e.homeScore, e.period, e.game.away.score, e.game.home.score]);
  for (const n of numbersIn(e.clock)) allowed.add(n);
  for (const v of Object.values(e.detail)) {
    if (typeof v === 'number') allowed.add(Math.abs(v));
    if (typeof v === 'string') for (const n of numbersIn(v)) allowed.add(n);
  }
  const named = [...e.players, ...e.game.players].filter((p) => text.includes(p.name));
  for (const p of named) for (const v of Object.values(p.stats)) allowed.add(Math.abs(v));
  for (const t of [e.game.away, e.game.home]) {
    if (t.record && text.includes(t.record)) for (const n of numbersIn(t.record)) allowed.add(n);
  }
  if (e.game.note && text.includes(e.game.note)) for (const n of numbersIn(e.game.note)) allowed.add(n);
  const body = text.replace(/#[\p{L}\p{N}_]+/gu, '');
  return numbersIn(body).filter((n) => !allowed.has(n));
}

/** Emoji-like characters of a text (pictographs), to check a voice uses only its own. */
export function emojiIn(text: string): string[] {
  return [...text.matchAll(/\p{Extended_Pictographic}/gu)].map((m) => m[0]);
}
