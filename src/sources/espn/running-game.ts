import type { EventPlayer, GameFacts, PlayerFacts, StatLine, TeamFacts } from '../../domain/index.ts';

/** Stat increments for one player from one play. */
export interface StatDelta {
  playerId: string;
  stats: StatLine;
}

/**
 * The game as it stands while a play-by-play is replayed: scores, linescores
 * and every player's running stat line. `snapshot()` returns a `GameFacts` for
 * the current moment; objects that did not change since the previous snapshot
 * (a team, the player list, a player) are shared with it, so thousands of
 * snapshots cost little memory. Snapshots are never mutated afterwards.
 */
export class RunningGame {
  #base: GameFacts;
  readonly #initialStats: (player: PlayerFacts) => StatLine;
  readonly #players = new Map<string, PlayerFacts>();
  #playerList: PlayerFacts[];
  #playersDirty = false;
  #away: TeamFacts;
  #home: TeamFacts;
  readonly #trackTeamStats: boolean;

  /**
   * @param base the game as the file states it; only its identity (ids, names,
   *   venue, teams) is used, never its final numbers.
   * @param initialStats the stat line each player starts from (e.g. zeroed counters).
   * @param options.trackTeamStats sum player increments into team stats (default true);
   *   off for sports whose player stat names differ from their team stat names.
   */
  constructor(
    base: GameFacts,
    initialStats: (player: PlayerFacts) => StatLine,
    options: { trackTeamStats?: boolean } = {},
  ) {
    this.#initialStats = initialStats;
    this.#trackTeamStats = options.trackTeamStats ?? true;
    this.#playerList = base.players.map((player) => {
      const start = { ...player, stats: initialStats(player) };
      this.#players.set(player.id, start);
      return start;
    });
    this.#base = withoutOutcome(base);
    this.#away = blankTeam(base.away, base.state === 'post');
    this.#home = blankTeam(base.home, base.state === 'post');
  }

  /**
   * Takes a newer statement of the game (the next poll of a live feed): its
   * identity (venue, attendance, names, records) is used for later snapshots,
   * players not seen before join (after the others) with their initial stat
   * line, and the running scores, linescores and stat lines are kept. This is
   * what lets a live parser build only the plays after its cursor.
   */
  rebase(base: GameFacts): void {
    const finished = base.state === 'post';
    this.#base = withoutOutcome(base);
    const keep = (team: TeamFacts, running: TeamFacts): TeamFacts => ({
      ...blankTeam(team, finished),
      score: running.score,
      linescores: running.linescores,
      stats: running.stats,
    });
    this.#away = keep(base.away, this.#away);
    this.#home = keep(base.home, this.#home);
    for (const player of base.players) {
      if (this.#players.has(player.id)) continue;
      const start = { ...player, stats: this.#initialStats(player) };
      this.#players.set(player.id, start);
      this.#playerList = [...this.#playerList, start];
    }
  }

  /** The player of that id, as of now. */
  player(id: string): PlayerFacts | undefined {
    return this.#players.get(id);
  }

  /** The team of a player, or undefined when the player is unknown. */
  teamOfPlayer(id: string): string | undefined {
    return this.#players.get(id)?.teamId;
  }

  get score(): { away: number; home: number } {
    return { away: this.#away.score, home: this.#home.score };
  }

  /** Adds increments to players' (and their teams') running stat lines. Unknown players are ignored. */
  apply(deltas: readonly StatDelta[]): void {
    for (const delta of deltas) {
      const current = this.#players.get(delta.playerId);
      if (!current) continue;
      this.#players.set(delta.playerId, { ...current, stats: addLines(current.stats, delta.stats) });
      this.#playersDirty = true;
      if (!this.#trackTeamStats) continue;
      if (current.teamId === this.#away.id)
        this.#away = { ...this.#away, stats: addLines(this.#away.stats, delta.stats) };
      else if (current.teamId === this.#home.id)
        this.#home = { ...this.#home, stats: addLines(this.#home.stats, delta.stats) };
    }
  }

  /**
   * Sets the score after a play in `period`; the difference from the previous
   * score is credited to that period's linescore.
   */
  setScore(away: number, home: number, period: number): void {
    if (away !== this.#away.score) this.#away = withScore(this.#away, away, period);
    if (home !== this.#home.score) this.#home = withScore(this.#home, home, period);
  }

  /** Event players for these ids, each with the running stat line after the play. */
  eventPlayers(ids: readonly string[]): EventPlayer[] {
    const out: EventPlayer[] = [];
    for (const id of new Set(ids)) {
      const player = this.#players.get(id);
      if (player) out.push({ id, name: player.name, teamId: player.teamId, stats: player.stats });
    }
    return out;
  }

  /** The game at this moment, in progress. */
  snapshot(period: number, clock: string): GameFacts {
    if (this.#playersDirty) {
      this.#playerList = this.#playerList.map((p) => this.#players.get(p.id) ?? p);
      this.#playersDirty = false;
    }
    return {
      ...this.#base,
      state: 'in',
      period,
      clock,
      away: this.#away,
      home: this.#home,
      players: this.#playerList,
    };
  }
}

/** A base taken from a finished game states a series result that includes this game's outcome. */
function withoutOutcome(base: GameFacts): GameFacts {
  if (base.state !== 'post') return base;
  const { note: _note, ...rest } = base;
  return rest;
}

/**
 * A team before any play: no score, linescores or stats. A finished game's
 * record includes this game's outcome: kept during the game, dropped after.
 */
function blankTeam(team: TeamFacts, finished: boolean): TeamFacts {
  const { winner: _winner, record, ...rest } = team;
  return {
    ...rest,
    ...(record !== undefined && !finished ? { record } : {}),
    score: 0,
    linescores: [],
    stats: {},
  };
}

function addLines(line: StatLine, delta: StatLine): StatLine {
  const next = { ...line };
  for (const [key, value] of Object.entries(delta)) next[key] = (next[key] ?? 0) + value;
  return next;
}

function withScore(team: TeamFacts, score: number, period: number): TeamFacts {
  const linescores = [...team.linescores];
  while (linescores.length < period) linescores.push(0);
  const index = Math.max(0, period - 1);
  linescores[index] = (linescores[index] ?? 0) + (score - team.score);
  return { ...team, score, linescores };
}
