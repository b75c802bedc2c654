import { describe, expect, it } from 'vitest';
import { addStat, statLineFromKeys } from './stat-line.ts';

describe('stat lines', () => {
  it('splits compound keys and values, keeps signs, skips non-numbers', () => {
    expect(
      statLineFromKeys(
        [
          'fieldGoalsMade-fieldGoalsAttempted',
          'plusMinus',
          'completions/passingAttempts',
          'adjQBR',
          'minutes',
        ],
        ['6-9', '-17', '14/25', '--', ''],
        'x.',
      ),
    ).toEqual({
      'x.fieldGoalsMade': 6,
      'x.fieldGoalsAttempted': 9,
      'x.plusMinus': -17,
      'x.completions': 14,
      'x.passingAttempts': 25,
    });
  });

  it('splits known paired team stats and reads possession time', () => {
    const line = {};
    addStat(line, 'sacksYardsLost', '1-11');
    addStat(line, 'thirdDownEff', '3-9');
    addStat(line, 'possessionTime', '23:45');
    addStat(line, 'streak', 'W1');
    expect(line).toEqual({
      sacks: 1,
      sackYardsLost: 11,
      thirdDownConversions: 3,
      thirdDownAttempts: 9,
      possessionSeconds: 1425,
    });
  });
});
