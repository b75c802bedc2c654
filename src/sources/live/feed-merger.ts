import { clockSeconds } from '../../domain/clock.ts';
import type { EventPlayer, GameEvent, GameFacts, PlayerFacts, TeamFacts } from '../../domain/index.ts';

/**
 * The identity of a moment both feeds of a game report, or undefined for a
 * play only one feed can be trusted to name the same way:
 *
 * - a scoring play: `score:<away>-<home>`, the score after it. Scores only
 *   grow, so each scoring play of a game leaves a score no other play leaves,
 *   and both feeds state it exactly (clocks, ids, names and wording differ);
 * - the end of a period: `end:<period>`; the opening play: `start`.
 *
 * Everything else (misses, rebounds, fouls, substitutions) has no identity
 * both feeds share, and the final is the ESPN summary's (its box score and
 * records are what the final post is grounded in): those come from ESPN only.
 */
export function sharedKey(event: GameEvent): string | undefined {
  if (event.kind === 'final') return undefined;
  if (event.scoreValue > 0) return `score:${event.awayScore}-${event.homeScore}`;
  if (event.kind === 'period_end') return `end:${event.period}`;
  if (event.kind === 'game_start') return 'start';
  return undefined;
}

/** Id of a shared moment in a merged game: the ESPN game id and the moment's key. */
export function mergedEventId(espnGameId: string, key: string): string {
  return `${espnGameId}:live:${key}`;
}

/** Game-clock seconds between two reports of one moment that still count as the same moment. */
const SAME_MOMENT_CLOCK_S = 10;

/** A scoring moment one feed handed, to recognise the other feed's report of it under another score. */
interface Moment {
  source: 'espn' | 'nbalive';
  period: number;
  clock: number | undefined;
  /** ESPN team id. */
  teamId: string | undefined;
  /** Family name of the scorer, normalised. */
  scorer: string | undefined;
  /** Already paired with the other feed's report. */
  paired: boolean;
}

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** ESPN's id of the team of a liveData event (by side: the feeds' team ids differ). */
function espnTeamId(event: GameEvent, espn: GameFacts): string | undefined {
  if (event.teamId === event.game.away.id) return espn.away.id;
  if (event.teamId === event.game.home.id) return espn.home.id;
  return undefined;
}

/** Last word of a name, normalised ("J. Brunson", "Jalen Brunson" → "brunson"). */
function familyName(name: string): string {
  return norm(name.trim().split(/\s+/).at(-1) ?? '');
}

/**
 * Merges the ESPN summary and the league's liveData feed of one game into one
 * stream of events, each moment once (see {@link sharedKey}):
 *
 * - a shared moment gets the id {@link mergedEventId} whichever feed brings it
 *   first, and the other feed's report of it is dropped; ids do not depend on
 *   which feed was faster, so a restart that sees the other feed first still
 *   finds the stored event;
 * - liveData runs ahead of ESPN: its shared moments are handed at once,
 *   translated to the ESPN game (game id, team ids, names, abbreviations and
 *   records from ESPN's facts; players mapped to ESPN ids by name within their
 *   team, unmatched ones keep `nba:<personId>`); until ESPN's facts are known,
 *   liveData moments are dropped (ESPN brings them anyway);
 * - ESPN's other plays pass through unchanged (a play arriving after liveData
 *   moved the score on is left to the tracker, which does not take the game back).
 *
 * When the feeds disagree about a score (one counts a basket as three, the
 * other as two), the moment and every later one carry different scores in the
 * two feeds. A scoring moment whose score the other feed has not stated is then
 * matched to the other feed's unpaired scoring moment of the same period and
 * team, by the same scorer, within ten seconds of game clock: it is the same
 * moment, already handed, and is dropped. A new moment whose score already
 * names one of the other feed's gets its feed's name added to its id. Such a
 * moment is named by the first feed to bring it, so after a restart that sees
 * the other feed first it could be handed once more. Corrections come from the
 * ESPN summary's own differ.
 */
export class FeedMerger {
  readonly #espnGameId: string;
  readonly #seen = new Set<string>();
  /** Scoring moments handed so far, by key. */
  readonly #moments = new Map<string, Moment>();
  #players: { facts: GameFacts; byName: Map<string, string> } | undefined;

  constructor(espnGameId: string) {
    this.#espnGameId = espnGameId;
  }

  /** ESPN's new events: shared moments renamed (or dropped when liveData brought them), the rest as they are. */
  fromEspn(events: readonly GameEvent[]): GameEvent[] {
    const out: GameEvent[] = [];
    for (const event of events) {
      const key = sharedKey(event);
      if (key === undefined) {
        out.push(event);
        continue;
      }
      const name = this.#admit(event, 'espn', key, event.teamId);
      if (name !== undefined) out.push({ ...event, id: mergedEventId(this.#espnGameId, name) });
    }
    return out;
  }

  /** liveData's new events: its shared moments not seen yet, translated to the ESPN game; nothing without `espn` facts. */
  fromNbaLive(events: readonly GameEvent[], espn: GameFacts | undefined): GameEvent[] {
    if (!espn) return [];
    const out: GameEvent[] = [];
    for (const event of events) {
      const key = sharedKey(event);
      if (key === undefined) continue;
      const name = this.#admit(event, 'nbalive', key, espnTeamId(event, espn));
      if (name !== undefined) out.push(this.#translate(event, espn, name));
    }
    return out;
  }

  /**
   * Whether a shared moment is new: returns the name to give it, or undefined
   * when it was handed already (under the same score, or, for a scoring
   * moment, as the other feed's report of it under another score).
   */
  #admit(
    event: GameEvent,
    source: Moment['source'],
    key: string,
    teamId: string | undefined,
  ): string | undefined {
    if (event.scoreValue <= 0) {
      if (this.#seen.has(key)) return undefined;
      this.#seen.add(key);
      return key;
    }
    const clock = clockSeconds(event.clock);
    const scorer = event.players[0] ? familyName(event.players[0].name) : undefined;
    const same = this.#moments.get(key);
    // The same score from the same feed is a re-sent play.
    if (same?.source === source) return undefined;
    // The other feed's report of this moment: under the same score, or the nearest in game clock.
    const gap = (m: Moment) =>
      m.source === source ||
      m.paired ||
      m.period !== event.period ||
      m.teamId !== teamId ||
      (m.scorer !== undefined && scorer !== undefined && m.scorer !== scorer) ||
      m.clock === undefined ||
      clock === undefined
        ? Number.POSITIVE_INFINITY
        : Math.abs(m.clock - clock);
    let best = same && gap(same) <= SAME_MOMENT_CLOCK_S ? same : undefined;
    if (!best) {
      let nearest = Number.POSITIVE_INFINITY;
      for (const m of this.#moments.values()) {
        const g = gap(m);
        if (g <= SAME_MOMENT_CLOCK_S && g < nearest) [best, nearest] = [m, g];
      }
    }
    if (best) {
      best.paired = true;
      return undefined;
    }
    // A new moment. When the feeds' scores have drifted apart its score may already
    // name a moment of the other feed: it is then named by its feed too.
    const name = same ? `${key}:${source}` : key;
    this.#moments.set(name, { source, period: event.period, clock, teamId, scorer, paired: false });
    return name;
  }

  /** The liveData moment as an event of the ESPN game, named `name` (see `#admit`). */
  #translate(event: GameEvent, espn: GameFacts, name: string): GameEvent {
    const snap = event.game;
    const teamIds = new Map([
      [snap.away.id, espn.away.id],
      [snap.home.id, espn.home.id],
    ]);
    const byName = this.#byName(espn);
    // A player of either list under ESPN's ids: its own by name within the team, else `nba:<personId>`.
    const onEspn = <P extends { id: string; name: string; teamId: string }>(p: P): P => ({
      ...p,
      id: byName.get(`${teamIds.get(p.teamId)}:${norm(p.name)}`) ?? `nba:${p.id}`,
      teamId: teamIds.get(p.teamId) ?? p.teamId,
    });
    const team = (side: TeamFacts, to: TeamFacts): TeamFacts => {
      const out: TeamFacts = {
        ...to,
        score: side.score,
        linescores: side.linescores,
        stats: side.stats,
      };
      delete out.winner;
      return out;
    };
    const players: PlayerFacts[] = snap.players.map(onEspn);
    const game: GameFacts = {
      ...espn,
      state: 'in',
      period: snap.period,
      clock: snap.clock,
      away: team(snap.away, espn.away),
      home: team(snap.home, espn.home),
      players,
    };
    const eventPlayers: EventPlayer[] = event.players.map(onEspn);
    const out: GameEvent = {
      ...event,
      id: mergedEventId(this.#espnGameId, name),
      gameId: espn.gameId,
      players: eventPlayers,
      game,
    };
    const teamId = event.teamId === undefined ? undefined : teamIds.get(event.teamId);
    if (teamId === undefined) delete out.teamId;
    else out.teamId = teamId;
    return out;
  }

  /** ESPN player ids by "<teamId>:<name>" (full and short names), rebuilt when ESPN's facts change. */
  #byName(espn: GameFacts): Map<string, string> {
    if (this.#players?.facts === espn) return this.#players.byName;
    const byName = new Map<string, string>();
    for (const p of espn.players) {
      byName.set(`${p.teamId}:${norm(p.name)}`, p.id);
      byName.set(`${p.teamId}:${norm(p.shortName)}`, p.id);
    }
    this.#players = { facts: espn, byName };
    return byName;
  }
}
