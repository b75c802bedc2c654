import type { Claim } from '../../domain/index.ts';
import { playerName, type RuleContext, teamOf } from './context.ts';

const POSITION =
  /^(?:[ \t]+(?:guard|forward|center|centre|big|wing|rookie|star|quarterback|QB|RB|WR|TE|receiver|running back|kicker|tight end|linebacker|LB|safety|cornerback|CB|coach))?[ \t]+$/i;

/**
 * A claim per name: a player or team of the game is supported (a player named
 * with the wrong team, "Knicks' Siakam", is contradicted); a name the facts do
 * not have is unverifiable, or contradicted when it is a twisted version of a
 * player of the game ("Jalen Siakam"); an ambiguous last name is unverifiable.
 * Name claims do not take their span: numbers and wording around them are
 * claims of their own.
 */
export function nameClaims(ctx: RuleContext): void {
  for (const m of ctx.mentions) {
    const base = { kind: m.kind, text: m.text, start: m.start, end: m.end } as const;
    let claim: Claim;
    if (m.unknown) {
      claim = { ...base, status: m.unknown.contradicted ? 'contradicted' : 'unverifiable' };
      if (m.unknown.expected !== undefined) claim.expected = m.unknown.expected;
    } else if (m.kind === 'venue') {
      claim = { ...base, status: 'supported', groundedIn: `venue = ${ctx.facts.venue?.name}` };
    } else if (m.id === undefined) {
      const names = (m.candidates ?? []).map((id) => playerName(ctx, id)).join(' or ');
      claim = { ...base, status: 'unverifiable', expected: `"${m.text}" could be ${names}` };
    } else if (m.kind === 'team') {
      claim = { ...base, status: 'supported', groundedIn: `team = ${teamOf(ctx, m.id)?.displayName}` };
    } else {
      const player = ctx.facts.players.find((p) => p.id === m.id);
      const team = teamOf(ctx, player?.teamId);
      claim = { ...base, status: 'supported', groundedIn: `player = ${player?.name} (${team?.displayName})` };
      // "Knicks' Siakam", "Pacers guard Brunson": the team named right before must be the player's.
      const before = ctx.mentions
        .filter((x) => x.kind === 'team' && x.end <= m.start && x.id !== undefined)
        .at(-1);
      if (before && POSITION.test(ctx.text.slice(before.end, m.start)) && before.id !== player?.teamId) {
        claim = {
          ...base,
          status: 'contradicted',
          expected: `${player?.name} plays for the ${team?.displayName}`,
        };
      }
    }
    ctx.claims.push(claim);
  }
}
