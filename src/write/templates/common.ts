import type { EventPlayer } from '../../domain/event.ts';
import type { TeamFacts } from '../../domain/facts.ts';
import { type Context, lastName, teamOfPlayer } from '../context.ts';
import { shootingSplits, statLine } from '../statline.ts';

/** Upper-cases the first letter. */
export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a 12-0 run" / "an 8-0 run" / "an 11-2 run": the article for a phrase that starts with a number. */
export function article(phrase: string): string {
  return /^(8|11|18|8\d)(\D|$)/.test(phrase) || /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

const NUMBER_WORDS = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/i;

/**
 * The feed's own words for the play when they can be quoted as they are: short, no digits or number
 * words (they would be claims to ground: "two point shot"), no abbreviated names ("J.Love", which the
 * verifier cannot tie to one player). Undefined otherwise.
 */
export function quotableText(c: Context): string | undefined {
  const text = c.event.text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');
  if (text.length < 8 || text.length > 90 || /[\d{}]/.test(text)) return undefined;
  if (NUMBER_WORDS.test(text) || /\b[A-Z]\.\s?[A-Z]/.test(text)) return undefined;
  return text;
}

/** The first involved player, the one the feed credits with the play. */
export function mainPlayer(c: Context): EventPlayer | undefined {
  return c.event.players[0];
}

/** What a basketball make was, from the points it scored: "three", "bucket", "free throw". */
export function bucketWord(c: Context): string {
  if (c.sport !== 'basketball') return 'score';
  if (c.event.scoreValue === 3) return 'three';
  if (c.event.scoreValue === 1) return 'free throw';
  return 'bucket';
}

/** A verb phrase for a score by a player: "hits a three", "scores", "makes a free throw". */
export function scoreAction(c: Context): string {
  if (c.sport === 'basketball') {
    if (c.event.scoreValue === 3) return 'hits a three';
    if (c.event.scoreValue === 1) return 'makes a free throw';
  }
  return 'scores';
}

/**
 * "Siakam now has 21 points and 8 rebounds." for a player with a stat line, else undefined. With
 * `full`, the full name is used (when the sentence is the player's first mention).
 */
export function nowHas(c: Context, player: EventPlayer, full = false): string | undefined {
  const line = statLine(c.sport, player.stats);
  return line ? `${full ? player.name : lastName(player.name)} now has ${line}.` : undefined;
}

/** Analytical add-on: "Siakam: 8-of-12 shooting, 3-of-5 from three." */
export function splitsSentence(
  c: Context,
  player: { name: string; stats: Record<string, number> },
): string[] {
  if (c.sport !== 'basketball') return [];
  const s = shootingSplits(player.stats);
  return s ? [`${lastName(player.name)}: ${s}.`] : [];
}

/** The team name with its article for object position: "the Pacers". */
export function the(team: TeamFacts): string {
  return `the ${team.name}`;
}

/** The team of the main player, else the acting team. */
export function teamOf(c: Context, player: EventPlayer | undefined): TeamFacts | undefined {
  return (player && teamOfPlayer(c, player)) ?? c.actor;
}
