import type { Sport } from '../domain/index.ts';

/**
 * One way to read a stat from the facts: the sum of `keys`. `$score` stands for
 * the team's score.
 */
export interface Reading {
  keys: string[];
  /** Words for the expected value ("passing yards"). */
  label: string;
}

/** What a stat word can mean: for a player, for a team. A claim matching any reading is supported. */
export interface StatSense {
  label: string;
  player: Reading[];
  team: Reading[];
}

/** A verb near the number that narrows a football stat ("threw for", "ran for", "caught"). */
export type Hint = 'passing' | 'rushing' | 'receiving' | undefined;

const r = (label: string, ...keys: string[]): Reading => ({ label, keys });

/**
 * Stat words as written after a number ("31 points", "31-point", "13 dimes",
 * "151 passing yards"), longest first so that "passing yards" wins over "yards".
 * Each names a sense looked up per sport in {@link senseOf}.
 */
export const STAT_WORDS: readonly (readonly [pattern: string, sense: string])[] = [
  ['offensive (?:rebounds?|boards?)', 'offensiveRebounds'],
  ['defensive (?:rebounds?|boards?)', 'defensiveRebounds'],
  ['(?:passing|pass|air) yards|yards (?:passing|through the air)', 'passingYards'],
  ['(?:rushing|rush) yards|yards (?:rushing|on the ground)', 'rushingYards'],
  ['receiving yards|yards receiving', 'receivingYards'],
  ['yards per (?:carry|rush)|ypc', 'yardsPerCarry'],
  ['yards per (?:catch|reception)', 'yardsPerCatch'],
  ['(?:touchdown|TD) (?:passes|throws)|passing (?:touchdowns|TDs)', 'passingTouchdowns'],
  ['rushing (?:touchdowns?|TDs?)|(?:touchdown|TD) runs?', 'rushingTouchdowns'],
  ['receiving (?:touchdowns?|TDs?)|(?:touchdown|TD) (?:catches|receptions|grabs)', 'receivingTouchdowns'],
  ['field[- ]goals? (?:made|attempted)|field[- ]goals?|FGs?|FGM', 'fieldGoals'],
  ['free[- ]throws?|FTs?|FTM', 'freeThrows'],
  ['three[- ]pointers?|3[- ]?pointers?|threes|triples|treys|3s|3PM|3PT', 'threes'],
  ['first downs', 'firstDowns'],
  ['points?|pts|PTS', 'points'],
  ['rebounds?|boards?|rebs?|REB', 'rebounds'],
  ['assists?|dimes?|ast|AST', 'assists'],
  ['steals?|stl|STL', 'steals'],
  ['blocks?|blocked shots|rejections|blk|BLK', 'blocks'],
  ['turnovers?|TOs?|tov', 'turnovers'],
  ['minutes|mins?', 'minutes'],
  ['fouls', 'fouls'],
  ['yards|yds', 'yards'],
  ['touchdowns?|TDs?', 'touchdowns'],
  ['interceptions?|INTs?|picks?', 'interceptions'],
  ['sacks?', 'sacks'],
  ['receptions?|catches|grabs', 'receptions'],
  ['completions?', 'completions'],
  ['carries|rushes|rushing attempts', 'carries'],
  ['tackles', 'tackles'],
  ['punts', 'punts'],
  ['extra points', 'extraPoints'],
];

/** The readings of a sense in a sport; undefined when the sport has no such stat. */
export function senseOf(sense: string, sport: Sport, hint: Hint): StatSense | undefined {
  return sport === 'football'
    ? football(sense, hint)
    : sport === 'basketball'
      ? basketball(sense)
      : undefined;
}

function basketball(sense: string): StatSense | undefined {
  const simple = (label: string, key: string, teamKeys: string[] = [key]): StatSense => ({
    label,
    player: [r(label, key)],
    team: teamKeys.map((k) => r(label, k)),
  });
  switch (sense) {
    case 'points':
      return { label: 'points', player: [r('points', 'points')], team: [r('points', '$score')] };
    case 'rebounds':
      return simple('rebounds', 'rebounds', ['rebounds', 'totalRebounds']);
    case 'offensiveRebounds':
      return simple('offensive rebounds', 'offensiveRebounds');
    case 'defensiveRebounds':
      return simple('defensive rebounds', 'defensiveRebounds');
    case 'assists':
      return simple('assists', 'assists');
    case 'steals':
      return simple('steals', 'steals');
    case 'blocks':
      return simple('blocks', 'blocks');
    case 'turnovers':
      return simple('turnovers', 'turnovers', ['turnovers', 'totalTurnovers']);
    case 'threes':
      return simple('3-pointers', 'threePointFieldGoalsMade');
    case 'fieldGoals':
      return simple('field goals', 'fieldGoalsMade');
    case 'freeThrows':
      return simple('free throws', 'freeThrowsMade');
    case 'minutes':
      // A team's minutes are the game's length: "the final 12 minutes" is no team stat.
      return simple('minutes', 'minutes', []);
    case 'fouls':
      return simple('fouls', 'fouls');
    default:
      return undefined;
  }
}

function football(sense: string, hint: Hint): StatSense | undefined {
  const passingYards: StatSense = {
    label: 'passing yards',
    player: [r('passing yards', 'passing.passingYards')],
    team: [r('passing yards', 'passing.passingYards'), r('net passing yards', 'netPassingYards')],
  };
  const rushingYards: StatSense = {
    label: 'rushing yards',
    player: [r('rushing yards', 'rushing.rushingYards')],
    team: [r('rushing yards', 'rushing.rushingYards'), r('rushing yards', 'rushingYards')],
  };
  const receivingYards: StatSense = {
    label: 'receiving yards',
    player: [r('receiving yards', 'receiving.receivingYards')],
    team: [r('receiving yards', 'receiving.receivingYards')],
  };
  const passingTds: StatSense = {
    label: 'passing touchdowns',
    player: [r('passing touchdowns', 'passing.passingTouchdowns')],
    team: [r('passing touchdowns', 'passing.passingTouchdowns')],
  };
  const rushingTds: StatSense = {
    label: 'rushing touchdowns',
    player: [r('rushing touchdowns', 'rushing.rushingTouchdowns')],
    team: [r('rushing touchdowns', 'rushing.rushingTouchdowns')],
  };
  const receivingTds: StatSense = {
    label: 'receiving touchdowns',
    player: [r('receiving touchdowns', 'receiving.receivingTouchdowns')],
    team: [r('receiving touchdowns', 'receiving.receivingTouchdowns')],
  };
  const simple = (label: string, player: string[], team: string[] = player): StatSense => ({
    label,
    player: player.map((k) => r(label, k)),
    team: team.map((k) => r(label, k)),
  });
  switch (sense) {
    case 'passingYards':
      return passingYards;
    case 'rushingYards':
      return rushingYards;
    case 'receivingYards':
      return receivingYards;
    case 'yards':
      if (hint === 'passing') return passingYards;
      if (hint === 'rushing') return rushingYards;
      if (hint === 'receiving') return receivingYards;
      return {
        label: 'yards',
        player: [
          r('passing yards', 'passing.passingYards'),
          r('rushing yards', 'rushing.rushingYards'),
          r('receiving yards', 'receiving.receivingYards'),
          r('yards from scrimmage', 'rushing.rushingYards', 'receiving.receivingYards'),
          r('kick return yards', 'kickReturns.kickReturnYards'),
          r('punt return yards', 'puntReturns.puntReturnYards'),
        ],
        team: [
          r('total yards', 'totalYards'),
          r('net passing yards', 'netPassingYards'),
          r('rushing yards', 'rushingYards'),
          r('passing yards', 'passing.passingYards'),
          r('rushing yards', 'rushing.rushingYards'),
        ],
      };
    case 'passingTouchdowns':
      return passingTds;
    case 'rushingTouchdowns':
      return rushingTds;
    case 'receivingTouchdowns':
      return receivingTds;
    case 'touchdowns': {
      if (hint === 'passing') return passingTds;
      if (hint === 'rushing') return rushingTds;
      if (hint === 'receiving') return receivingTds;
      const scored = [
        'rushing.rushingTouchdowns',
        'receiving.receivingTouchdowns',
        'interceptions.interceptionTouchdowns',
        'kickReturns.kickReturnTouchdowns',
        'puntReturns.puntReturnTouchdowns',
      ];
      return {
        label: 'touchdowns',
        player: [
          r('passing touchdowns', 'passing.passingTouchdowns'),
          r('rushing touchdowns', 'rushing.rushingTouchdowns'),
          r('receiving touchdowns', 'receiving.receivingTouchdowns'),
          r('touchdowns scored', ...scored),
          r('touchdowns responsible for', 'passing.passingTouchdowns', 'rushing.rushingTouchdowns'),
        ],
        team: [r('touchdowns', ...scored), r('passing touchdowns', 'passing.passingTouchdowns')],
      };
    }
    case 'yardsPerCarry':
      return simple('yards per carry', ['rushing.yardsPerRushAttempt'], ['yardsPerRushAttempt']);
    case 'yardsPerCatch':
      return simple('yards per catch', ['receiving.yardsPerReception']);
    case 'interceptions':
      return simple(
        'interceptions',
        ['passing.interceptions', 'interceptions.interceptions'],
        ['interceptions', 'interceptions.interceptions', 'passing.interceptions'],
      );
    case 'sacks':
      return simple(
        'sacks',
        ['defensive.sacks', 'passing.sacks'],
        ['defensive.sacks', 'sacks', 'passing.sacks'],
      );
    case 'receptions':
      return simple('receptions', ['receiving.receptions']);
    case 'completions':
      return simple('completions', ['passing.completions'], ['passing.completions', 'completions']);
    case 'carries':
      return simple('carries', ['rushing.rushingAttempts'], ['rushing.rushingAttempts', 'rushingAttempts']);
    case 'fieldGoals':
      return simple('field goals', ['kicking.fieldGoalsMade']);
    case 'extraPoints':
      return simple('extra points', ['kicking.extraPointsMade']);
    case 'tackles':
      return simple('tackles', ['defensive.totalTackles', 'defensive.soloTackles']);
    case 'punts':
      return simple('punts', ['punting.punts']);
    case 'firstDowns':
      return simple('first downs', [], ['firstDowns']);
    case 'turnovers':
      return simple('turnovers', [], ['turnovers']);
    case 'points':
      return {
        label: 'points',
        player: [r('points', 'kicking.totalKickingPoints')],
        team: [r('points', '$score')],
      };
    default:
      return undefined;
  }
}

/** The verb around a football number that tells which yards or touchdowns it counts. */
export function hintOf(around: string): Hint {
  if (
    /\b(?:threw|throws|throwing|passed|passes|passing|completed|completing|tossed|through the air)\b/i.test(
      around,
    )
  )
    return 'passing';
  if (/\b(?:caught|catch|catches|catching|receiving|reeled in|hauled in)\b/i.test(around)) return 'receiving';
  if (/\b(?:ran|rushed|rushes|rushing|carries|carried|on the ground)\b/i.test(around)) return 'rushing';
  return undefined;
}
