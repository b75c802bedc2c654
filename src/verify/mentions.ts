import { memoized } from '../domain/memo.ts';
import type { FactLookup } from './grounding.ts';
import { ABBREVIATION_ALIASES, LEAGUE_NICKNAMES, NICKNAME_SHORT_FORMS } from './league-teams.ts';
import { nbaArenas } from './nba-teams.ts';
import { NOT_A_NAME } from './not-a-name.ts';
import { foldAccents, overlaps, type Span } from './text.ts';

/** A player, team or venue named in the draft. */
export interface Mention extends Span {
  kind: 'player' | 'team' | 'venue';
  text: string;
  /** The player or team id when the mention names exactly one in this game. */
  id?: string;
  /** Ids of the players a last name fits, when it fits several (ambiguous). */
  candidates?: string[];
  /**
   * Set when the name is not in this game: a made-up player, a team not
   * playing, another arena. `expected` says what the facts have instead.
   */
  unknown?: { expected?: string; contradicted: boolean };
}

const NAME_SUFFIX = /^(?:Jr\.?|Sr\.?|II|III|IV|V)$/;
const CAPITALISED = /^\p{Lu}[\p{L}'’.-]*$/u;
const VENUE_WORDS = /^(?:Arena|Center|Centre|Stadium|Field|Fieldhouse|Garden|Park|Dome|Coliseum|Forum|Bowl)$/;
const STAT_VERBS =
  /^\s+(?:scored|had|has|added|adds|finished|poured|dropped|tallied|recorded|posted|grabbed|pulled|dished|threw|throws|ran|rushed|caught|hauled|kicked|hit|drilled|nailed|led|leads)\b/;

/**
 * Finds every player, team and venue the draft names, longest names first:
 * full names, short names ("T. Haliburton"), last names when only one player of
 * the game has them, team display names, nicknames, locations when the two
 * teams' differ, abbreviations (with common aliases such as "NYK" for "NY");
 * possessives ("Haliburton's") included in the span. Capitalised names that
 * look like a person and are in none of these come back as unknown players.
 */
export function findMentions(text: string, facts: FactLookup): Mention[] {
  const folded = foldAccents(text);
  const words = wordsOf(text);
  const foldedWords = folded === text ? words : wordsOf(folded);
  const found: Mention[] = [];
  const free = (s: Span) => !found.some((m) => overlaps(m, s));
  const add = (m: Mention) => {
    if (free(m)) found.push(m);
  };

  findVenues(text, words, facts, add);

  // Players: full and short names first, then surnames.
  const { aliases, surnames } = playerNames(facts.players);
  for (const [name, ids] of inText(aliases, foldedWords)) {
    for (const span of matchName(folded, name)) {
      add({ kind: 'player', text: text.slice(span.start, span.end), ...span, ...one(ids) });
    }
  }

  // Teams of the game, then nicknames of other teams of the league.
  const teamAliases = new Map<string, Set<string>>();
  const teamAlias = (name: string, id: string) => {
    if (!name) return;
    const ids = teamAliases.get(name) ?? new Set<string>();
    ids.add(id);
    teamAliases.set(name, ids);
  };
  const [first, second] = facts.teams;
  for (const t of facts.teams) {
    teamAlias(t.displayName, t.id);
    teamAlias(t.displayName.toUpperCase(), t.id);
    teamAlias(t.name, t.id);
    teamAlias(t.name.toUpperCase(), t.id);
    for (const [short, full] of Object.entries(NICKNAME_SHORT_FORMS[facts.league] ?? {}))
      if (full === t.name) teamAlias(short, t.id);
    if (first && second && first.location !== second.location) teamAlias(t.location, t.id);
    teamAlias(t.abbreviation, t.id);
    for (const [abbr, others] of Object.entries(ABBREVIATION_ALIASES)) {
      if (abbr === t.abbreviation) for (const o of others) teamAlias(o, t.id);
      if (others.includes(t.abbreviation)) teamAlias(abbr, t.id);
    }
  }
  for (const [name, ids] of byLength(teamAliases)) {
    for (const span of matchName(text, name, words)) {
      add({ kind: 'team', text: text.slice(span.start, span.end), ...span, ...one(ids) });
    }
  }
  const playing = facts.teams.map((t) => t.name);
  for (const nickname of LEAGUE_NICKNAMES[facts.league]) {
    if (playing.some((n) => n === nickname || n.includes(nickname) || nickname.includes(n))) continue;
    for (const span of matchName(text, nickname, words)) {
      add({
        kind: 'team',
        text: text.slice(span.start, span.end),
        ...span,
        unknown: { expected: `the game is ${gameLabel(facts)}`, contradicted: false },
      });
    }
  }

  // Surnames alone, when one player of the game has it; a first name in front
  // that is not this player's makes an unknown player ("Jalen Siakam").
  for (const [surname, ids] of inText(surnames, foldedWords)) {
    for (const span of matchName(folded, surname)) {
      if (!free(span)) continue;
      const before = /(\p{Lu}[\p{L}'’-]+)\s+$/u.exec(text.slice(Math.max(0, span.start - 30), span.start));
      const firstName = before?.[1];
      if (firstName && !NOT_A_NAME.has(firstName) && !NOT_A_NAME.has(firstName.toLowerCase())) {
        const start = span.start - (before?.[0].length ?? 0);
        const names = [...ids].map((id) => facts.players.find((p) => p.id === id)?.name).filter(Boolean);
        add({
          kind: 'player',
          start,
          end: span.end,
          text: text.slice(start, span.end),
          unknown: {
            expected: `no such player in this game (did you mean ${names.join(' or ')}?)`,
            contradicted: true,
          },
        });
        continue;
      }
      add({ kind: 'player', text: text.slice(span.start, span.end), ...span, ...one(ids) });
    }
  }

  findUnknownPeople(text, found, add);
  return found.sort((a, b) => a.start - b.start);
}

/** Names with the ids they name, longest first, indexed by their first word. */
interface NameTable {
  entries: [string, Set<string>][];
  /** Positions in `entries` by first word; names without one are in `unindexed`. */
  byFirstWord: Map<string, number[]>;
  unindexed: number[];
}

interface PlayerNames {
  /** Full names, short names and their variants, with the ids they name. */
  aliases: NameTable;
  /** Surnames. */
  surnames: NameTable;
}

function nameTable(map: Map<string, Set<string>>): NameTable {
  const entries = byLength(map);
  const byFirstWord = new Map<string, number[]>();
  const unindexed: number[] = [];
  entries.forEach(([name], i) => {
    const first = firstWord(name);
    if (first === '') {
      unindexed.push(i);
      return;
    }
    const list = byFirstWord.get(first);
    if (list) list.push(i);
    else byFirstWord.set(first, [i]);
  });
  return { entries, byFirstWord, unindexed };
}

/**
 * The names of a table that can occur in a text with these words (their first
 * word is one of them), longest first: a game has hundreds of names, a post a
 * handful.
 */
function inText(table: NameTable, words: ReadonlySet<string>): [string, Set<string>][] {
  const positions = [...table.unindexed];
  for (const word of words) {
    const list = table.byFirstWord.get(word);
    if (list) positions.push(...list);
  }
  positions.sort((a, b) => a - b);
  return positions.map((i) => table.entries[i]!);
}

/** The last few rosters' name tables: a live game verifies many drafts against the same players. */
const NAME_TABLES = new Map<string, PlayerNames>();
/** The same, by roster array: the facts of one snapshot are checked many times. */
const NAME_TABLES_BY_ROSTER = new WeakMap<FactLookup['players'], PlayerNames>();

/** The names each player can be written as (accents folded), built once per roster. */
function playerNames(players: FactLookup['players']): PlayerNames {
  const known = NAME_TABLES_BY_ROSTER.get(players);
  if (known) return known;
  const signature = players.map((p) => `${p.id}\u0000${p.name}\u0000${p.shortName}`).join('\u0001');
  const cached = NAME_TABLES.get(signature);
  if (cached) {
    NAME_TABLES_BY_ROSTER.set(players, cached);
    return cached;
  }
  const aliases = new Map<string, Set<string>>();
  const alias = (name: string, id: string) => {
    const key = foldAccents(name.trim());
    if (key.length < 2) return;
    const ids = aliases.get(key) ?? new Set<string>();
    ids.add(id);
    aliases.set(key, ids);
  };
  const surnames = new Map<string, Set<string>>();
  for (const p of players) {
    alias(p.name, p.id);
    alias(p.shortName, p.id);
    // "DJ Augustin" for "D.J. Augustin", "Otto Porter" for "Otto Porter Jr.".
    const plain = p.name.replace(/\b(\p{Lu})\.(?:(\p{Lu})\.)?/gu, '$1$2').replace(/\s+/g, ' ');
    alias(plain, p.id);
    const bare = p.name.replace(/,?\s+(?:Jr\.?|Sr\.?|II|III|IV)$/, '');
    alias(bare, p.id);
    alias(bare.replace(/\b(\p{Lu})\.(?:(\p{Lu})\.)?/gu, '$1$2'), p.id);
    const tokens = p.name.trim().split(/\s+/);
    const core = tokens.filter((t, i) => i === 0 || !NAME_SUFFIX.test(t));
    if (core.length >= 2) {
      alias(`${core[0]?.[0]}. ${core.slice(1).join(' ')}`, p.id);
      for (const surname of new Set([core.slice(1).join(' '), core[core.length - 1] ?? ''])) {
        const key = foldAccents(surname);
        if (key.length < 2) continue;
        const ids = surnames.get(key) ?? new Set<string>();
        ids.add(p.id);
        surnames.set(key, ids);
      }
    }
  }
  const tables = { aliases: nameTable(aliases), surnames: nameTable(surnames) };
  if (NAME_TABLES.size >= 16) NAME_TABLES.delete(NAME_TABLES.keys().next().value as string);
  NAME_TABLES.set(signature, tables);
  NAME_TABLES_BY_ROSTER.set(players, tables);
  return tables;
}

function one(ids: Set<string>): { id: string } | { candidates: string[] } {
  const list = [...ids];
  return list.length === 1 ? { id: list[0] as string } : { candidates: list };
}

function byLength(map: Map<string, Set<string>>): [string, Set<string>][] {
  return [...map.entries()].sort((a, b) => b[0].length - a[0].length);
}

/** The words (runs of letters and digits) of a text: a name can only occur where its first word does. */
function wordsOf(text: string): Set<string> {
  return new Set(text.match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * First word of a name, computed once per name. Only a name that starts with a letter or digit
 * has a first word a whole-word match must contain.
 */
const firstWord = memoized((name) => /^[\p{L}\p{N}]+/u.exec(name)?.[0] ?? '', 8192);

/**
 * Whole-word, case-sensitive occurrences of `name`, with a possessive "'s" / "’" included.
 * `words` (the text's `wordsOf`) lets the many names of a game that are not in the text be
 * skipped with one set lookup each.
 */
function matchName(text: string, name: string, words?: ReadonlySet<string>): Span[] {
  if (words) {
    const first = firstWord(name);
    if (first !== '' && !words.has(first)) return [];
  }
  // Whole-word occurrences, found by substring search and checked at both ends
  // (a regular expression per name cost more than all the rest of the verifier).
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return spans;
    const end = wholeWordEnd(text, at, at + name.length);
    if (end === undefined) {
      from = at + 1;
      continue;
    }
    spans.push({ start: at, end });
    from = end;
  }
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const BEFORE_NAME = /[\p{L}\p{N}_@#]/u;

/** The code point of `text` that ends just before `index`, as a string ('' at the start). */
function charBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2
    ? text.slice(index - 2, index)
    : text.slice(index - 1, index);
}

/** The code point of `text` that starts at `index`, as a string ('' at the end). */
function charAt(text: string, index: number): string {
  const cp = text.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/**
 * Where a name found at [start, end) ends as a whole word, a possessive "'s",
 * "’s", "'" or "’" included; undefined when it is part of a longer word
 * (a letter, digit, "_", "@" or "#" before it; a letter, digit or "_" after it).
 */
function wholeWordEnd(text: string, start: number, end: number): number | undefined {
  if (BEFORE_NAME.test(charBefore(text, start))) return undefined;
  const next = text[end];
  if (next === "'" || next === '’') {
    if (text[end + 1] === 's' && !WORD_CHAR.test(charAt(text, end + 2))) return end + 2;
    if (!WORD_CHAR.test(charAt(text, end + 1))) return end + 1;
  }
  return WORD_CHAR.test(charAt(text, end)) ? undefined : end;
}

function gameLabel(facts: FactLookup): string {
  const away = facts.teams.find((t) => t.homeAway === 'away');
  const home = facts.teams.find((t) => t.homeAway === 'home');
  return `${away?.displayName ?? '?'} at ${home?.displayName ?? '?'}`;
}

/** "at Gainbridge Fieldhouse": the venue of the game, or another one (unknown). */
function findVenues(
  text: string,
  words: ReadonlySet<string>,
  facts: FactLookup,
  add: (m: Mention) => void,
): void {
  const venue = facts.venue;
  if (venue) {
    for (const name of [venue.name, ...facts.venueAliases].sort((a, b) => b.length - a.length)) {
      for (const span of matchName(text, name, words)) {
        add({ kind: 'venue', text: text.slice(span.start, span.end), ...span });
      }
    }
  }
  // Arenas of other teams of the league, including names without a venue word ("FedExForum").
  if (facts.league === 'nba') {
    for (const { arena, team } of nbaArenas()) {
      for (const span of matchName(text, arena, words)) {
        add({
          kind: 'venue',
          text: text.slice(span.start, span.end),
          ...span,
          unknown: venue
            ? { expected: `the game is at ${venue.name}; ${arena} is the ${team}' arena`, contradicted: true }
            : { expected: 'the facts name no venue', contradicted: false },
        });
      }
    }
  }
  const re = /(?:\p{Lu}[\p{L}'’.&-]*\s+){1,4}(\p{Lu}[\p{L}]*)/gu;
  for (const m of text.matchAll(re)) {
    const words = m[0].split(/\s+/);
    const venueAt = words.findIndex((w) => VENUE_WORDS.test(w));
    if (venueAt <= 0) continue;
    const name = words.slice(0, venueAt + 1).join(' ');
    const start = m.index;
    add({
      kind: 'venue',
      text: name,
      start,
      end: start + name.length,
      unknown: venue
        ? { expected: `the game is at ${venue.name}`, contradicted: true }
        : { expected: 'the facts name no venue', contradicted: false },
    });
  }
}

/** Two or more capitalised words in a row that no fact names, or one before a stat verb. */
function findUnknownPeople(text: string, found: Mention[], add: (m: Mention) => void): void {
  const free = (s: Span) => !found.some((m) => overlaps(m, s));
  const tokens = [...text.matchAll(/\S+/g)].map((m) => {
    const raw = m[0];
    // A word that opens with a small letter or a digit is no name: it only ends a run.
    if (/^[\p{Ll}\d]/u.test(raw))
      return { word: raw, start: m.index, end: m.index + raw.length, breaksAfter: false };
    let word = raw
      .replace(/^[("“'‘]+/, '')
      .replace(/[)"”’,;:!?]+$/, '')
      .replace(/['’]s$/, '');
    const initial = /^(?:\p{Lu}\.)+$/u.test(word);
    if (!initial) word = word.replace(/\.+$/, '');
    const start = m.index + raw.indexOf(word);
    const breaksAfter = /[,;:!?)"”]$/.test(raw) || (!initial && /\.$/.test(raw));
    return { word, start, end: start + word.length, breaksAfter };
  });
  const isNameWord = (w: string) =>
    CAPITALISED.test(w) && !NOT_A_NAME.has(w) && !/^\p{Lu}{2,}$/u.test(w) && !/\d/.test(w);
  let run: typeof tokens = [];
  const flush = () => {
    const first = run[0];
    const last = run[run.length - 1];
    if (run.length >= 2 && first && last) {
      const span = { start: first.start, end: last.end };
      if (free(span)) {
        add({
          kind: 'player',
          ...span,
          text: text.slice(span.start, span.end),
          unknown: { expected: 'no such player in this game', contradicted: false },
        });
      }
    } else if (run.length === 1 && first && STAT_VERBS.test(text.slice(first.end))) {
      // "Nene Hilario", "Larry Nance Jr": a word glued to a known player's name is more of that name.
      const suffix = /^(?:Jr|Sr|II|III|IV)\.?$/.test(first.word);
      const glued = found.some(
        (m) =>
          m.kind === 'player' &&
          !m.unknown &&
          (suffix ? /^\s*,?\s*$/ : /^\s$/).test(text.slice(m.end, first.start)),
      );
      if (free(first) && !glued) {
        add({
          kind: 'player',
          start: first.start,
          end: first.end,
          text: first.word,
          unknown: { expected: 'no such player in this game', contradicted: false },
        });
      }
    }
    run = [];
  };
  for (const t of tokens) {
    if (isNameWord(t.word) && free(t)) {
      run.push(t);
      if (t.breaksAfter) flush();
    } else {
      flush();
    }
  }
  flush();
}
