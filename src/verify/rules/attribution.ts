import type { Claim } from '../../domain/index.ts';
import type { Mention } from '../mentions.ts';
import { type Attribution, playerName, type RuleContext, teamOf } from './context.ts';

/** Stat claims grouped by the mention they were grounded against, in the order of the text. */
function bySubject(ctx: RuleContext): Map<Mention, { claim: Claim; attribution: Attribution }[]> {
  const groups = new Map<Mention, { claim: Claim; attribution: Attribution }[]>();
  for (const [claim, attribution] of ctx.attributions) {
    const list = groups.get(attribution.subject) ?? [];
    list.push({ claim, attribution });
    groups.set(attribution.subject, list);
  }
  return groups;
}

/** The name claim `nameClaims` made for a mention. */
function nameClaimOf(ctx: RuleContext, mention: Mention): Claim | undefined {
  return ctx.claims.find(
    (c) => c.kind === mention.kind && c.start === mention.start && c.end === mention.end,
  );
}

/**
 * Numbers that belong to someone else: when the stat claims grounded against
 * one mention of a player (or team) fail on its line but another player's (or
 * the other team's) line fits them, the name is the mistake ("Kyle Korver
 * totaled 12 points, five boards" with Korver out and a teammate at 12 and 5).
 * The name becomes a contradicted NAME claim; the numbers the other line fits
 * stay contradicted but are subsumed (reported through the name). A player
 * who did not play cannot have numbers: his name is the mistake whatever they
 * are; so is a name not in the game at all.
 *
 * Thresholds: the other line must fit at least two of the numbers and all of
 * them but one; the named line must fail at least two and fit none (a line
 * that fits some numbers makes the others wrong numbers, not a wrong name). One number alone ("scored 20 points") cannot tell a wrong name
 * from a wrong number, and stays a NUMBER mistake.
 */
export function attributionClaims(ctx: RuleContext): void {
  for (const [mention, group] of bySubject(ctx)) {
    // Numbers of a name not in the game are the name's mistake, reported once through it.
    if (mention.unknown) {
      for (const g of group) ctx.subsumed.add(g.claim);
      continue;
    }
    const id = mention.id;
    if (id === undefined) continue;
    const nameClaim = nameClaimOf(ctx, mention);
    if (!nameClaim || nameClaim.status === 'contradicted') continue;
    const isPlayer = mention.kind === 'player';
    const checked = group.filter((g) => g.claim.status !== 'unverifiable');
    const wrong = checked.filter((g) => g.claim.status === 'contradicted');
    if (wrong.length === 0) continue;
    const didNotPlay = isPlayer && ctx.facts.players.find((p) => p.id === id)?.didNotPlay === true;
    const others = isPlayer
      ? ctx.facts.players.filter((p) => p.id !== id && !p.didNotPlay).map((p) => p.id)
      : ctx.facts.teams.filter((t) => t.id !== id).map((t) => t.id);
    let best: { id: string; fits: number } | undefined;
    for (const other of others) {
      const fits = group.filter((g) => g.attribution.fits(other) === true).length;
      if (!best || fits > best.fits) best = { id: other, fits };
    }
    const right = checked.length - wrong.length;
    const swapped =
      best !== undefined &&
      best.fits >= 2 &&
      best.fits > right &&
      best.fits >= group.length - 1 &&
      wrong.length >= 2 &&
      right === 0;
    if (!swapped && !didNotPlay) continue;
    const who = isPlayer ? playerName(ctx, id) : (teamOf(ctx, id)?.displayName ?? mention.text);
    const owner =
      swapped && best
        ? isPlayer
          ? playerName(ctx, best.id)
          : (teamOf(ctx, best.id)?.displayName ?? best.id)
        : undefined;
    nameClaim.status = 'contradicted';
    delete nameClaim.groundedIn;
    nameClaim.expected = owner
      ? `these numbers are ${owner}'s, not ${who}'s`
      : `${who} did not play; these numbers are not his`;
    ctx.types.set(nameClaim, 'NAME');
    for (const g of group) {
      if (g.claim.status === 'contradicted' && (didNotPlay || (best && g.attribution.fits(best.id))))
        ctx.subsumed.add(g.claim);
    }
  }
}
