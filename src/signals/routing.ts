import type { Account } from '../domain/account.ts';
import type { GameEvent, Significance } from '../domain/event.ts';

export interface Route {
  account: Account;
  /** Significance as this account sees it (a team account cares more about its team). */
  significance: number;
  breaking: boolean;
  reason: string;
}

/** Bonus a team account gives to its own team's events, and the discount for the opponent's. */
const OWN_TEAM_BONUS = 0.15;
const OPPONENT_DISCOUNT = 0.15;

function teamAbbreviations(event: GameEvent): { own?: string; all: string[] } {
  const { home, away } = event.game;
  const all = [home.abbreviation, away.abbreviation];
  if (!event.teamId) return { all };
  const own =
    home.id === event.teamId ? home.abbreviation : away.id === event.teamId ? away.abbreviation : undefined;
  return own ? { own, all } : { all };
}

/**
 * Decides which accounts get an event, and how urgently.
 *
 * - an account must cover the event's league;
 * - a team account (teams non-empty) only gets games of its teams, with its
 *   own team's moments weighted up and the opponent's weighted down;
 * - the (re-weighted) significance must reach the account's threshold;
 * - breaking events stay breaking for every account that takes them.
 */
export function routeEvent(
  event: GameEvent,
  significance: Significance,
  accounts: readonly Account[],
): Route[] {
  const routes: Route[] = [];
  const teams = teamAbbreviations(event);
  for (const account of accounts) {
    if (!account.leagues.includes(event.league)) continue;
    let score = significance.score;
    let reason = `${event.league} event`;
    if (account.teams.length > 0) {
      const followed = account.teams.filter((t) => teams.all.includes(t));
      if (followed.length === 0) continue;
      if (teams.own && account.teams.includes(teams.own)) {
        score = Math.min(1, score + OWN_TEAM_BONUS);
        reason = `${teams.own} made the play`;
      } else if (teams.own) {
        score = Math.max(0, score - OPPONENT_DISCOUNT);
        reason = `opponent of ${followed.join('/')} made the play`;
      } else {
        reason = `game of ${followed.join('/')}`;
      }
    }
    // The final is always worth a post to everyone who follows the game.
    const threshold =
      event.kind === 'final'
        ? Math.min(account.minSignificance, significance.score)
        : account.minSignificance;
    if (score < threshold) continue;
    routes.push({
      account,
      significance: Math.round(score * 1000) / 1000,
      breaking: significance.breaking,
      reason,
    });
  }
  return routes;
}
