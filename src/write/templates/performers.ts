import type { PlayerFacts, TeamFacts } from '../../domain/facts.ts';
import { type Context, lastName, topPlayers } from '../context.ts';
import { shootingSplits, statLine } from '../statline.ts';

/**
 * The top performer of a team in the box score so far, phrased with their line:
 * - basketball: "Pascal Siakam led the Pacers with 31 points, 5 rebounds and 4 assists." ("led"/"leads"
 *   only when no teammate has as many points; otherwise "had"/"has");
 * - football: the player with the most yards in their main role: "Jordan Love: 14-of-25 for 151 yards
 *   and 3 touchdowns." (no superlative, as roles are not comparable);
 * - hockey and baseball: "Name: 2 goals and 1 assist." when someone has a line.
 * Undefined when nobody on the team has stats to show.
 */
export function performerSentence(
  c: Context,
  team: TeamFacts,
  tense: 'past' | 'present',
): string | undefined {
  const top = topPerformer(c, team);
  if (!top) return undefined;
  if (c.sport === 'basketball') {
    // A final lists the whole line; mid-game lines keep only notable secondary stats.
    const line = statLine(c.sport, top.player.stats, { minor: tense === 'past' ? 1 : 3 });
    if (!line) return undefined;
    const verb = top.unique ? (tense === 'past' ? 'led' : 'leads') : tense === 'past' ? 'had' : 'has';
    return top.unique
      ? `${top.player.name} ${verb} the ${team.name} with ${line}.`
      : `${top.player.name} ${verb} ${line} for the ${team.name}.`;
  }
  const line = statLine(c.sport, top.player.stats);
  return line ? `${top.player.name}: ${line}.` : undefined;
}

/** Analytical add-on for the top performer: "Siakam: 8-of-12 shooting, 3-of-5 from three." */
export function performerSplits(c: Context, team: TeamFacts): string | undefined {
  if (c.sport !== 'basketball') return undefined;
  const top = topPerformer(c, team);
  if (!top) return undefined;
  const s = shootingSplits(top.player.stats);
  // The performer sentence named them in full just before; the renderer restores the full name if not.
  return s ? `${lastName(top.player.name)}: ${s}.` : undefined;
}

interface Top {
  player: PlayerFacts;
  /** No teammate matches the ranking stat. */
  unique: boolean;
}

function topPerformer(c: Context, team: TeamFacts): Top | undefined {
  if (c.sport === 'football') {
    const yards = (p: PlayerFacts) =>
      Math.max(
        p.stats['passing.passingYards'] ?? -Infinity,
        p.stats['rushing.rushingYards'] ?? -Infinity,
        p.stats['receiving.receivingYards'] ?? -Infinity,
      );
    const ranked = c.event.game.players
      .filter((p) => p.teamId === team.id && !p.didNotPlay && yards(p) > 0)
      .map((p, i) => ({ p, i }))
      .sort((a, b) => yards(b.p) - yards(a.p) || a.i - b.i);
    const first = ranked[0];
    if (!first) return undefined;
    return { player: first.p, unique: ranked[1] === undefined || yards(ranked[1].p) < yards(first.p) };
  }
  const ranked = topPlayers(c, team);
  const first = ranked[0];
  if (!first) return undefined;
  const key = c.sport === 'basketball' ? 'points' : c.sport === 'hockey' ? 'goals' : 'hits';
  const second = ranked[1];
  return {
    player: first,
    unique: second === undefined || (second.stats[key] ?? 0) < (first.stats[key] ?? 0),
  };
}
