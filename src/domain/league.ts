/** Leagues the engine covers, and the sport each belongs to. */
export const LEAGUES = ['nba', 'wnba', 'nfl', 'mlb', 'nhl'] as const;
export type League = (typeof LEAGUES)[number];

export const SPORTS = ['basketball', 'football', 'baseball', 'hockey'] as const;
export type Sport = (typeof SPORTS)[number];

export const SPORT_OF: Record<League, Sport> = {
  nba: 'basketball',
  wnba: 'basketball',
  nfl: 'football',
  mlb: 'baseball',
  nhl: 'hockey',
};

export function isLeague(value: string): value is League {
  return (LEAGUES as readonly string[]).includes(value);
}
