import type { EventKind, GameEvent, GameFacts } from '../../domain/index.ts';
import { buildEvent, type EventContext, type EventStepper, occurredAt, playType } from './event-base.ts';
import { FootballNames } from './football-names.ts';
import { RunningGame, type StatDelta } from './running-game.ts';
import type { EspnDrive, EspnPlay } from './schema.ts';

/** An abbreviated ("J.Love", "A.St. Brown", "M.Pittman Jr.") player name in play text. */
const ABBR = String.raw`([A-Z][A-Za-z']*\.\s?(?:St\.\s?)?[A-Z][A-Za-z'-]+(?:\s(?:Jr|Sr|II|III|IV)\.?)?)`;
/** A full ("Drake London") player name in a scoring summary. */
const FULL = String.raw`([A-Z][A-Za-z'.-]+(?:\s[A-Z][A-Za-z'.-]+){1,2})`;
const YARDS = String.raw`for (no gain|-?\d+ yards?|a loss of \d+ yards?)`;

const PASS = new RegExp(String.raw`^${ABBR} pass (?:[a-z ]*?)to ${ABBR}\b.*?\b${YARDS}`);
const INCOMPLETE = new RegExp(`^${ABBR} pass incomplete`);
const INTERCEPTED = new RegExp(`^${ABBR} pass .*?INTERCEPTED by ${ABBR}`);
const RUSH = new RegExp(String.raw`^${ABBR} (?!pass|sacked|kicks|punts|extra|\d)[^,]*?${YARDS}`);
const FIELD_GOAL = new RegExp(String.raw`^${ABBR} \d+ yard field goal is (GOOD|No Good|BLOCKED)`, 'i');
const EXTRA_POINT = new RegExp(`${ABBR} extra point is (GOOD|No Good|BLOCKED)`, 'i');
const SUMMARY_PASS = new RegExp(String.raw`^${FULL} (\d+) Yd pass from ${FULL}`);
const SUMMARY_RUN = new RegExp(String.raw`^${FULL} (\d+) Yd Run`);
const SUMMARY_PAT = new RegExp(String.raw`\(${FULL} (Kick|PAT failed)\)`);

/**
 * Turns football play-by-play (drives, in feed order) into events. Running
 * player stats are replayed from the play text only where it is unambiguous:
 * completions, attempts, passing/receiving/rushing yards and touchdowns,
 * interceptions, field goals and extra points; plays nullified by a penalty
 * ("No Play") credit nothing. Team stats are not replayed (their names differ
 * from player stat names); the final event carries the full box score.
 *
 * Each event's `detail` states the situation: `down`, `distance`,
 * `yardsToEndzone` (at the snap), `yards`, and from `drives` (play id → its
 * drive) `driveId`, `driveTeamId`, `driveStartPeriod`, `driveStartClock` and
 * `driveResult` (once the drive is over). A fourth-down snap (not a punt, kick
 * or nullified play) gets `fourthDown`: 'converted' (a first down or a
 * touchdown for the offense) or 'stopped' (the ball changed hands: the feed
 * says so at the end of the play, or it is the drive's last fourth-down snap
 * and the drive ended on downs). A play a penalty wiped out ("No Play") has
 * `nullified: true` (its `yards` are the penalty's).
 */
export function footballEvents(
  plays: readonly EspnPlay[],
  ctx: EventContext,
  drives: ReadonlyMap<string, EspnDrive> = new Map(),
): GameEvent[] {
  const stepper = footballStepper(ctx, { drives, stoppedOnDowns: footballStops(plays, drives) });
  return plays.map((play, index) => stepper.step(play, index));
}

/** What football plays need from the whole poll: each play's drive and the drives' last fourth-down snaps. */
export interface FootballPoll {
  drives: ReadonlyMap<string, EspnDrive>;
  /** From {@link footballStops}. */
  stoppedOnDowns: ReadonlySet<string>;
}

/** Play ids of each drive's last fourth-down snap, for drives that ended on downs. */
export function footballStops(
  plays: readonly EspnPlay[],
  drives: ReadonlyMap<string, EspnDrive>,
): Set<string> {
  return lastFourthDownSnaps(plays, drives);
}

/**
 * The events of {@link footballEvents}, one play at a time. `ctx` and `poll`
 * are read at each step: a live parser updates them per poll.
 */
export function footballStepper(ctx: EventContext, poll: FootballPoll): EventStepper {
  const running = new RunningGame(ctx.facts, () => ({}), { trackTeamStats: false });
  let names = new FootballNames(ctx.facts.players);
  let namedPlayers = ctx.facts.players.length;
  const teams = [ctx.facts.away.id, ctx.facts.home.id];
  let lastTime = Date.parse(ctx.facts.startTime) || 0;
  let previous = { away: 0, home: 0 };
  let started = false;

  const step = (play: EspnPlay, index: number): GameEvent => {
    const { drives, stoppedOnDowns } = poll;
    const type = playType(play);
    const awayGain = play.awayScore - previous.away;
    const homeGain = play.homeScore - previous.home;
    previous = { away: play.awayScore, home: play.homeScore };
    const scoreValue = awayGain + homeGain;
    const scoringTeam = awayGain > 0 ? ctx.facts.away.id : homeGain > 0 ? ctx.facts.home.id : undefined;
    const offense = play.start?.team?.id;
    const defense = teams.find((id) => offense !== undefined && id !== offense);

    const deltas = footballDeltas(play, type, names, offense, defense);
    running.apply(deltas);
    running.setScore(play.awayScore, play.homeScore, play.period.number);
    lastTime = occurredAt(play, lastTime);

    let kind = footballKind(play, type, scoreValue !== 0);
    if (!started && kind !== 'final' && play.period.number === 1) {
      if (kind === 'play') kind = 'game_start';
      started = true;
    }
    const detail: GameEvent['detail'] = { playType: type };
    if (play.statYardage !== undefined) detail.yards = play.statYardage;
    if (play.start?.down) detail.down = play.start.down;
    if (play.start?.distance !== undefined && play.start.down) detail.distance = play.start.distance;
    if (play.start?.yardsToEndzone !== undefined) detail.yardsToEndzone = play.start.yardsToEndzone;
    if (play.scoringType?.name) detail.scoringType = play.scoringType.name;
    if (kind === 'turnover' && play.end?.team?.id) detail.recoveredBy = play.end.team.id;
    const drive = drives.get(play.id);
    if (drive) addDrive(detail, drive);
    const fourth = fourthDownResult(play, type, kind, stoppedOnDowns.has(play.id));
    if (fourth) detail.fourthDown = fourth;
    if (standingText(play).nullified) detail.nullified = true;

    return buildEvent(ctx, play, index, {
      kind,
      occurredAt: lastTime,
      teamId: scoringTeam ?? offense ?? play.team?.id,
      scoreValue,
      players: running.eventPlayers(deltas.map((d) => d.playerId)),
      detail,
      game:
        kind === 'final' ? ctx.facts : running.snapshot(play.period.number, play.clock?.displayValue ?? ''),
    });
  };
  const rebase = (facts: GameFacts): void => {
    running.rebase(facts);
    if (facts.players.length !== namedPlayers) {
      names = new FootballNames(facts.players);
      namedPlayers = facts.players.length;
    }
  };
  return { step, rebase };
}

function addDrive(detail: GameEvent['detail'], drive: EspnDrive): void {
  if (drive.id !== undefined) detail.driveId = drive.id;
  if (drive.team?.id !== undefined) detail.driveTeamId = drive.team.id;
  if (drive.start?.period?.number !== undefined) detail.driveStartPeriod = drive.start.period.number;
  if (drive.start?.clock?.displayValue !== undefined) detail.driveStartClock = drive.start.clock.displayValue;
  if (drive.result) detail.driveResult = drive.result;
}

/** Play types that are not a snap from scrimmage (or that a fourth down does not "go for"). */
const NOT_A_SNAP =
  /punt|field goal|kickoff|timeout|penalty|two-minute|extra point|end of|end period|coin toss|safety/i;

/** The text of a play as it stands (after a reversal), and whether a penalty wiped it out. */
function standingText(play: EspnPlay): { text: string; nullified: boolean } {
  const text = (play.text ?? '').split(/REVERSED\.\s*/).at(-1) ?? '';
  return { text, nullified: /No Play\.?/.test(text) };
}

function isFourthDownSnap(play: EspnPlay, type: string): boolean {
  return play.start?.down === 4 && !NOT_A_SNAP.test(type) && !standingText(play).nullified;
}

/** Play ids of each drive's last fourth-down snap, for drives that ended on downs. */
function lastFourthDownSnaps(
  plays: readonly EspnPlay[],
  drives: ReadonlyMap<string, EspnDrive>,
): Set<string> {
  const last = new Map<EspnDrive, string>();
  for (const play of plays) {
    const drive = drives.get(play.id);
    if (drive?.result?.toUpperCase() === 'DOWNS' && isFourthDownSnap(play, playType(play))) {
      last.set(drive, play.id);
    }
  }
  return new Set(last.values());
}

function fourthDownResult(
  play: EspnPlay,
  type: string,
  kind: EventKind,
  endedDrive: boolean,
): 'converted' | 'stopped' | undefined {
  if (!isFourthDownSnap(play, type)) return undefined;
  const offense = play.start?.team?.id;
  const after = play.end?.team?.id;
  if (kind === 'touchdown' && !/fumble|interception/i.test(type)) return 'converted';
  if (endedDrive || kind === 'turnover') return 'stopped';
  if (offense !== undefined && after !== undefined && after !== offense) return 'stopped';
  if (after === offense && play.end?.down === 1) return 'converted';
  return undefined;
}

function footballKind(play: EspnPlay, type: string, scored: boolean): EventKind {
  const lower = type.toLowerCase();
  const text = (play.text ?? '').split(/REVERSED\.\s*/).at(-1) ?? '';
  if (lower === 'end of game' || lower === 'end game') return 'final';
  if (
    lower === 'end period' ||
    lower === 'end of half' ||
    /^end of (the )?\w+ (quarter|half|period)/.test(lower)
  )
    return 'period_end';
  if (lower.includes('touchdown') || (scored && /TOUCHDOWN/.test(text))) return 'touchdown';
  if (lower === 'field goal good') return 'field_goal';
  if (
    lower.includes('interception') ||
    lower === 'fumble recovery (opponent)' ||
    lower.includes('fumble lost')
  )
    return 'turnover';
  return scored ? 'score' : 'play';
}

function yardsOf(phrase: string): number {
  if (phrase === 'no gain') return 0;
  const loss = /a loss of (\d+)/.exec(phrase);
  if (loss) return -Number(loss[1]);
  return Number.parseInt(phrase, 10);
}

/** One way a play's text states stats: a pattern and the credits per captured name. */
interface TextRule {
  pattern: RegExp;
  /** Only for play types matching this. */
  when?: RegExp;
  /** [capture group holding the name, side of the player, increments]. */
  credits: (
    match: RegExpExecArray,
    td: number,
  ) => Array<[number, 'offense' | 'defense', Record<string, number>]>;
}

const passing = (yards: number, td: number) => ({
  'passing.completions': 1,
  'passing.passingAttempts': 1,
  'passing.passingYards': yards,
  'passing.passingTouchdowns': td,
});
const receiving = (yards: number, td: number) => ({
  'receiving.receptions': 1,
  'receiving.receivingYards': yards,
  'receiving.receivingTouchdowns': td,
});
const rushing = (yards: number, td: number) => ({
  'rushing.rushingAttempts': 1,
  'rushing.rushingYards': yards,
  'rushing.rushingTouchdowns': td,
});

/** Tried in order; the first that matches credits the play. */
const PLAY_RULES: readonly TextRule[] = [
  {
    pattern: INTERCEPTED,
    credits: () => [
      [1, 'offense', { 'passing.passingAttempts': 1, 'passing.interceptions': 1 }],
      [2, 'defense', { 'interceptions.interceptions': 1 }],
    ],
  },
  {
    pattern: PASS,
    credits: (m, td) => [
      [1, 'offense', passing(yardsOf(m[3] ?? ''), td)],
      [2, 'offense', receiving(yardsOf(m[3] ?? ''), td)],
    ],
  },
  { pattern: INCOMPLETE, credits: () => [[1, 'offense', { 'passing.passingAttempts': 1 }]] },
  {
    pattern: FIELD_GOAL,
    credits: (m) => {
      const good = m[2]?.toUpperCase() === 'GOOD';
      return [
        [
          1,
          'offense',
          {
            'kicking.fieldGoalAttempts': 1,
            'kicking.fieldGoalsMade': good ? 1 : 0,
            'kicking.totalKickingPoints': good ? 3 : 0,
          },
        ],
      ];
    },
  },
  {
    pattern: SUMMARY_PASS,
    credits: (m) => [
      [3, 'offense', passing(Number(m[2]), 1)],
      [1, 'offense', receiving(Number(m[2]), 1)],
    ],
  },
  { pattern: SUMMARY_RUN, credits: (m) => [[1, 'offense', rushing(Number(m[2]), 1)]] },
  { pattern: RUSH, when: /rush/i, credits: (m, td) => [[1, 'offense', rushing(yardsOf(m[2] ?? ''), td)]] },
];

/** Stat increments the text of a football play states unambiguously (see {@link footballEvents}). */
export function footballDeltas(
  play: EspnPlay,
  type: string,
  names: FootballNames,
  offense: string | undefined,
  defense: string | undefined,
): StatDelta[] {
  // A reviewed and reversed play states the original call, then what stands.
  const raw = (play.text ?? '').split(/REVERSED\.\s*/).at(-1) ?? '';
  if (/No Play\.?/.test(raw) || /two-point/i.test(raw)) return [];
  // Drop formation notes and eligibility reports: "(Shotgun) ", "R.Walker reported in as eligible.  ".
  const text = raw
    .replace(/^\([^)]*\)\s*/, '')
    .replace(/^.*?reported in as eligible\.\s*/, '')
    .replace(/^\([^)]*\)\s*/, '');
  const touchdown = /TOUCHDOWN/.test(text) || type.toLowerCase().includes('touchdown');
  const td = touchdown ? 1 : 0;
  const deltas: StatDelta[] = [];
  const push = (name: string | undefined, teamId: string | undefined, stats: Record<string, number>) => {
    const id = name === undefined ? undefined : names.resolve(name, teamId);
    if (id) deltas.push({ playerId: id, stats });
  };

  const credit = (match: RegExpExecArray, rule: TextRule) => {
    for (const [group, side, stats] of rule.credits(match, td)) {
      push(match[group], side === 'offense' ? offense : defense, stats);
    }
  };
  for (const rule of PLAY_RULES) {
    if (rule.when && !rule.when.test(type)) continue;
    const match = rule.pattern.exec(text);
    if (match) {
      credit(match, rule);
      break;
    }
  }

  const extra = EXTRA_POINT.exec(text);
  if (extra) {
    const good = extra[2]?.toUpperCase() === 'GOOD';
    push(extra[1], offense, {
      'kicking.extraPointAttempts': 1,
      'kicking.extraPointsMade': good ? 1 : 0,
      'kicking.totalKickingPoints': good ? 1 : 0,
    });
  }
  const pat = SUMMARY_PAT.exec(text);
  if (pat) {
    const good = pat[2] === 'Kick';
    push(pat[1], offense, {
      'kicking.extraPointAttempts': 1,
      'kicking.extraPointsMade': good ? 1 : 0,
      'kicking.totalKickingPoints': good ? 1 : 0,
    });
  }
  return deltas;
}
