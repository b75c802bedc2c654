import type { PlayerFacts } from '../../domain/index.ts';

const SUFFIX = /\s+(jr|sr|ii|iii|iv|v)\.?$/i;

function key(name: string): string {
  return name
    .toLowerCase()
    .replace(SUFFIX, '')
    .replace(/[^a-z.]/g, '');
}

/**
 * Finds players named in football play text, which uses "J.Love" in the play
 * description and "Jordan Love" in scoring summaries. A name resolves only when
 * exactly one player of the team (or, when no team is given, of the game)
 * matches: an ambiguous or unknown name resolves to nothing, so no stat is ever
 * credited to a guess.
 */
export class FootballNames {
  readonly #byKey = new Map<string, PlayerFacts[]>();

  constructor(players: readonly PlayerFacts[]) {
    for (const player of players) {
      for (const k of keysOf(player.name)) {
        const list = this.#byKey.get(k) ?? [];
        if (!list.includes(player)) list.push(player);
        this.#byKey.set(k, list);
      }
    }
  }

  /** The id of the one player called `name` (on `teamId` when given), or undefined. */
  resolve(name: string, teamId?: string): string | undefined {
    const candidates = this.#byKey.get(key(name)) ?? [];
    const onTeam = teamId === undefined ? candidates : candidates.filter((p) => p.teamId === teamId);
    return onTeam.length === 1 ? onTeam[0]?.id : undefined;
  }
}

/** "Jordan Love" → "jordanlove", "j.love"; "A.J. Brown" also → "a.j.brown". */
function keysOf(name: string): string[] {
  const clean = name.replace(SUFFIX, '').trim();
  const [first, ...rest] = clean.split(/\s+/);
  const keys = [key(clean)];
  if (first && rest.length > 0) {
    const last = rest.join(' ');
    keys.push(key(`${first[0]}.${last}`));
    if (first.includes('.')) keys.push(key(`${first}${last}`));
  }
  return keys;
}
