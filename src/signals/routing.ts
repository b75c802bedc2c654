import type { Account, SignificanceSettings } from '../domain/account.ts';
import type { GameEvent, Significance } from '../domain/event.ts';
import { priorityFor } from '../domain/post.ts';
import { BREAKING_AT } from './significance.ts';

export interface Route {
  account: Account;
  /** Significance as this account sees it (a team account cares more about its team). */
  significance: number;
  /** Breaking for this account: a breaking event that still weighs {@link BREAKING_AT} for it, or the final. */
  breaking: boolean;
  /** Queue priority for this account (`priorityFor` of the two above): lower goes first. */
  priority: number;
  reason: string;
}

/** The engine's default weighing: what every account without `significance` settings gets. */
export const DEFAULT_SIGNIFICANCE_SETTINGS: SignificanceSettings = {
  ownTeamBonus: 0.15,
  opponentDiscount: 0.15,
  kindWeights: {},
};

/**
 * The team credited with the moment: the one that made the play. A turnover
 * or a fourth-down stop belongs to the defense (the recovering team when the
 * feed says so); anything else to the event's team.
 */
function creditedTeamId(event: GameEvent): string | undefined {
  const { home, away } = event.game;
  const other = (id: unknown) => (id === home.id ? away.id : id === away.id ? home.id : undefined);
  if (event.kind === 'turnover') {
    const recovered = event.detail.recoveredBy;
    if (typeof recovered === 'string' && recovered !== event.teamId) return recovered;
    return other(event.teamId);
  }
  if (event.detail.fourthDown === 'stopped') return other(event.detail.driveTeamId ?? event.teamId);
  return event.teamId;
}

function teamAbbreviations(event: GameEvent): { own?: string; all: string[] } {
  const { home, away } = event.game;
  const all = [home.abbreviation, away.abbreviation];
  const credited = creditedTeamId(event);
  if (!credited) return { all };
  const own = home.id === credited ? home.abbreviation : away.id === credited ? away.abbreviation : undefined;
  return own ? { own, all } : { all };
}

/**
 * Decides which accounts get an event, and how urgently.
 *
 * - an account must cover the event's league;
 * - the event's score is multiplied by the account's weight for its kind
 *   (`significance.kindWeights`, default 1);
 * - a team account (teams non-empty) only gets games of its teams, with the
 *   moments its team made (a turnover and a fourth-down stop are the
 *   defense's) weighted up (`ownTeamBonus`, default 0.15) and the
 *   opponent's weighted down (`opponentDiscount`, default 0.15);
 * - the account's score must reach its threshold (`minSignificance`); the
 *   final reaches everyone who follows the game, whatever the threshold;
 * - urgency: a breaking event stays breaking for an account whose score is
 *   still at least {@link BREAKING_AT} (the final always is), so a high-threshold
 *   account across leagues (the network's breaking desk) gets exactly the
 *   breaking events, and an opponent's big moment reaches a team account
 *   without jumping its queue; `priority` is `priorityFor(score, breaking)`.
 */
export function routeEvent(
  event: GameEvent,
  significance: Significance,
  accounts: readonly Account[],
): Route[] {
  const routes: Route[] = [];
  const teams = teamAbbreviations(event);
  const final = event.kind === 'final';
  for (const account of accounts) {
    if (!account.leagues.includes(event.league)) continue;
    const settings = account.significance ?? DEFAULT_SIGNIFICANCE_SETTINGS;
    const weight = final ? 1 : (settings.kindWeights[event.kind] ?? 1);
    let score = Math.min(1, significance.score * weight);
    let reason = `${event.league} event`;
    if (account.teams.length > 0) {
      const followed = account.teams.filter((t) => teams.all.includes(t));
      if (followed.length === 0) continue;
      if (teams.own && account.teams.includes(teams.own)) {
        score = Math.min(1, score + settings.ownTeamBonus);
        reason = `${teams.own} made the play`;
      } else if (teams.own) {
        score = Math.max(0, score - settings.opponentDiscount);
        reason = `opponent of ${followed.join('/')} made the play`;
      } else {
        reason = `game of ${followed.join('/')}`;
      }
    }
    if (weight === 0) continue;
    // The final is always worth a post to everyone who follows the game.
    const threshold = final ? Math.min(account.minSignificance, score) : account.minSignificance;
    if (score < threshold) continue;
    const breaking = significance.breaking && (final || score >= BREAKING_AT);
    const rounded = Math.round(score * 1000) / 1000;
    routes.push({
      account,
      significance: rounded,
      breaking,
      priority: priorityFor(rounded, breaking),
      reason: breaking ? `${reason}; breaking` : reason,
    });
  }
  return routes;
}
