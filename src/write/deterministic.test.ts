import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, type EventKind, type GameEvent } from '../domain/event.ts';
import type { Platform } from '../domain/platform.ts';
import type { Voice } from '../domain/voice.ts';
import { createDeterministicWriter, writeFromTemplate } from './deterministic.ts';
import { measureLength } from './measure.ts';
import { assertClean } from './render.ts';
import {
  emojiIn,
  event,
  game,
  hasPlaceholder,
  involved,
  player,
  ungroundedNumbers,
  VOICES,
} from './testkit.ts';
import { TemplateError, type WriteRequest } from './writer.ts';

const NEUTRAL = VOICES[0] as Voice;
const HYPE = VOICES[1] as Voice;
const SIG = { score: 0.8, reasons: ['test'], breaking: false };

function req(e: GameEvent, over: Partial<WriteRequest> = {}): WriteRequest {
  return {
    event: e,
    significance: SIG,
    voice: NEUTRAL,
    platform: 'x',
    teams: [],
    variant: 0,
    maxLength: 280,
    ...over,
  };
}

// --- A basketball game: Knicks (away) at Pacers (home) -----------------------------------------
const NYK = {
  id: '18',
  name: 'Knicks',
  location: 'New York',
  abbreviation: 'NY',
  score: 100,
  record: '51-31',
};
const IND = {
  id: '11',
  name: 'Pacers',
  location: 'Indiana',
  abbreviation: 'IND',
  score: 104,
  record: '50-32',
};
const siakam = player('p1', 'Pascal Siakam', '11', {
  points: 31,
  rebounds: 5,
  assists: 4,
  fieldGoalsMade: 12,
  fieldGoalsAttempted: 20,
  threePointFieldGoalsMade: 2,
  threePointFieldGoalsAttempted: 5,
});
const brunson = player('p2', 'Jalen Brunson', '18', { points: 28, rebounds: 10, assists: 11, steals: 2 });
const jackson = player('p3', 'Jaren Jackson Jr.', '11', { points: 7, rebounds: 2, assists: 0 });
const nba = game('nba', NYK, IND, [siakam, brunson, jackson], { period: 4, clock: '2:01' });

/** One hand-built event of every kind, with the details the helpers put in. */
function nbaEvents(): GameEvent[] {
  return [
    event(nba, 'game_start', { period: 1, clock: '12:00', awayScore: 0, homeScore: 0 }),
    event(nba, 'score', {
      teamId: '11',
      scoreValue: 3,
      players: [involved(siakam)],
      text: 'Pascal Siakam makes 26-foot three point jumper',
    }),
    event(nba, 'score', {
      id: 'ft',
      teamId: '18',
      scoreValue: 1,
      players: [involved(brunson)],
      text: 'Jalen Brunson makes free throw 1 of 2',
    }),
    event(nba, 'lead_change', { teamId: '11', scoreValue: 2, players: [involved(siakam)] }),
    event(nba, 'tie', {
      teamId: '18',
      scoreValue: 2,
      awayScore: 104,
      homeScore: 104,
      players: [involved(brunson)],
    }),
    event(nba, 'run', { teamId: '11', detail: { runPoints: 12, runAgainst: 0 } }),
    event(nba, 'run', { id: 'run-8', teamId: '11', detail: { runPoints: 8, runAgainst: 2 } }),
    event(nba, 'clutch', { teamId: '11', scoreValue: 2, clock: '0:48', players: [involved(siakam)] }),
    event(nba, 'period_end', { period: 2, clock: '0.0' }),
    event(nba, 'period_end', { id: 'end3', period: 3, clock: '0.0' }),
    event(nba, 'period_end', { id: 'reg', period: 4, clock: '0.0', awayScore: 110, homeScore: 110 }),
    event(nba, 'final', { period: 4, clock: '0.0' }),
    event(nba, 'final', { id: 'final-ot', period: 5, clock: '0.0' }),
    event(nba, 'milestone', {
      teamId: '11',
      players: [involved(siakam)],
      detail: { stat: 'points', threshold: 30, playerId: 'p1' },
    }),
    event(nba, 'milestone', {
      id: 'dd',
      teamId: '18',
      players: [involved(brunson)],
      detail: { milestone: 'triple_double', playerId: 'p2' },
    }),
    event(nba, 'milestone', {
      id: 'odd',
      teamId: '18',
      players: [involved(brunson)],
      detail: { weird: true },
    }),
    event(nba, 'turnover', {
      teamId: '18',
      players: [involved(brunson)],
      text: 'Jalen Brunson bad pass (Pascal Siakam steals)',
    }),
    event(nba, 'play', {
      teamId: '11',
      players: [involved(jackson)],
      text: 'Jaren Jackson Jr. defensive rebound',
    }),
  ];
}

// --- A football game: Packers (away) at Falcons (home) --------------------------------------------
const GB = { id: '9', name: 'Packers', location: 'Green Bay', abbreviation: 'GB', score: 24 };
const ATL = { id: '1', name: 'Falcons', location: 'Atlanta', abbreviation: 'ATL', score: 25 };
const love = player('f1', 'Jordan Love', '9', {
  'passing.completions': 14,
  'passing.passingAttempts': 25,
  'passing.passingYards': 151,
  'passing.passingTouchdowns': 3,
});
const reed = player('f2', 'Jayden Reed', '9', {
  'receiving.receptions': 4,
  'receiving.receivingYards': 37,
  'receiving.receivingTouchdowns': 2,
});
const carlson = player('f3', 'Anders Carlson', '9', { 'kicking.extraPointsMade': 3 });
const koo = player('f4', 'Younghoe Koo', '1', {
  'kicking.fieldGoalsMade': 4,
  'kicking.fieldGoalAttempts': 4,
});
const ridder = player('f5', 'Desmond Ridder', '1', {
  'passing.completions': 19,
  'passing.passingAttempts': 32,
  'passing.passingYards': 237,
  'rushing.rushingYards': 19,
  'rushing.rushingTouchdowns': 1,
});
const nfl = game('nfl', GB, ATL, [love, reed, carlson, koo, ridder], { period: 4, clock: '0:57' });

function nflEvents(): GameEvent[] {
  return [
    event(nfl, 'game_start', { period: 1, clock: '15:00', awayScore: 0, homeScore: 0 }),
    event(nfl, 'touchdown', {
      teamId: '9',
      scoreValue: 7,
      awayScore: 24,
      homeScore: 12,
      players: [involved(love), involved(reed), involved(carlson)],
      detail: { yards: 10 },
    }),
    event(nfl, 'touchdown', {
      id: 'rush-td',
      teamId: '1',
      scoreValue: 7,
      awayScore: 24,
      homeScore: 19,
      players: [involved(ridder), involved(koo)],
      detail: { yards: 6 },
    }),
    event(nfl, 'touchdown', {
      id: 'kick-only',
      teamId: '9',
      scoreValue: 7,
      awayScore: 17,
      homeScore: 9,
      players: [involved(carlson)],
      detail: { yards: 32 },
    }),
    event(nfl, 'field_goal', { teamId: '1', scoreValue: 3, players: [involved(koo)], detail: { yards: 25 } }),
    event(nfl, 'turnover', {
      teamId: '1',
      players: [involved(ridder)],
      detail: { recoveredBy: '9', yards: -2 },
      text: 'D.Ridder pass INTERCEPTED by R.Douglas at GB 42.',
    }),
    event(nfl, 'period_end', { period: 2, clock: '0:00', awayScore: 10, homeScore: 9 }),
    event(nfl, 'final', { period: 4, clock: '0:00' }),
    event(nfl, 'score', { id: 'safety', teamId: '1', scoreValue: 2 }),
    event(nfl, 'play', { teamId: '9' }),
  ];
}

// --- Hockey and baseball: no replayed events yet, but the writer must speak their words. ---------
const nhl = game(
  'nhl',
  { id: 'a', name: 'Bruins', location: 'Boston', abbreviation: 'BOS', score: 3 },
  { id: 'h', name: 'Rangers', location: 'New York', abbreviation: 'NYR', score: 2 },
  [player('h1', 'David Pastrnak', 'a', { goals: 2, assists: 1 })],
  { period: 3, clock: '4:10' },
);
const mlb = game(
  'mlb',
  { id: 'a', name: 'Yankees', location: 'New York', abbreviation: 'NYY', score: 5 },
  { id: 'h', name: 'Red Sox', location: 'Boston', abbreviation: 'BOS', score: 4 },
  [player('b1', 'Aaron Judge', 'a', { hits: 3, homeRuns: 2, RBIs: 4 })],
  { period: 9, clock: '' },
);

function allEvents(): GameEvent[] {
  return [
    ...nbaEvents(),
    ...nflEvents(),
    ...EVENT_KINDS.map((k) =>
      event(nhl, k, { teamId: 'a', scoreValue: 1, players: [involved(nhl.players[0]!)] }),
    ),
    ...EVENT_KINDS.map((k) =>
      event(mlb, k, { teamId: 'a', scoreValue: 1, players: [involved(mlb.players[0]!)] }),
    ),
    event(nhl, 'period_end', { id: 'nhl-2', period: 2, clock: '0:00' }),
    event(nhl, 'final', { id: 'nhl-ot', period: 4, clock: '0:00' }),
  ];
}

const PLATFORMS: Platform[] = ['x', 'bluesky', 'mastodon'];

describe('writeFromTemplate: every kind, sport, voice and platform', () => {
  const events = allEvents();

  it('covers every event kind in every sport', () => {
    for (const sport of ['basketball', 'football', 'hockey', 'baseball']) {
      const kinds = new Set(events.filter((e) => e.game.sport === sport).map((e) => e.kind));
      if (sport === 'hockey' || sport === 'baseball')
        expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
    }
  });

  it("writes clean, grounded, fitting text with the voice's own emoji and no avoided word", () => {
    for (const e of events) {
      for (const voice of VOICES) {
        for (const platform of PLATFORMS) {
          for (const teams of [[], [e.game.home.abbreviation]]) {
            const d = writeFromTemplate(req(e, { voice, platform, teams }));
            const where = `${e.id} ${voice.id} ${platform} ${teams.join()}: ${d.text}`;
            expect(d.text.length, where).toBeGreaterThan(0);
            expect(measureLength(d.text, platform), where).toBeLessThanOrEqual(280);
            expect(hasPlaceholder(d.text), where).toBe(false);
            for (const word of voice.avoidWords)
              expect(d.text.toLowerCase(), where).not.toMatch(new RegExp(`\\b${word.toLowerCase()}`));
            for (const emoji of emojiIn(d.text)) expect(voice.emoji.join(''), where).toContain(emoji);
            expect(ungroundedNumbers(d.text, e), where).toEqual([]);
            expect(d.writer).toBe('template');
            expect(
              d.templateId.startsWith(
                e.kind === 'lead_change' && e.homeScore === e.awayScore ? 'tie' : e.kind,
              ),
              where,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('has at least three phrasings per kind and sport, and consecutive variants differ', () => {
    for (const e of events) {
      const ids = new Set<string>();
      const texts: string[] = [];
      for (let variant = 0; variant < 6; variant++) {
        const d = writeFromTemplate(req(e, { variant }));
        ids.add(d.templateId);
        texts.push(d.text);
      }
      expect(ids.size, `${e.id}: ${[...ids].join(', ')}`).toBeGreaterThanOrEqual(3);
      for (let v = 1; v < 6; v++) expect(texts[v], e.id).not.toBe(texts[v - 1]);
    }
  });

  it('is deterministic: the same request gives the same draft, also through the async writer', async () => {
    const writer = createDeterministicWriter();
    expect(writer.name).toBe('template');
    for (const e of events) {
      const r = req(e, { voice: HYPE, variant: 3 });
      const a = writeFromTemplate(r);
      expect(writeFromTemplate(structuredClone(r))).toEqual(a);
      expect(await writer.write(r)).toEqual(a);
    }
  });
});

describe('facts in the words', () => {
  const byId = (id: string, list = nbaEvents()) =>
    list.find((e) => e.id.endsWith(id) || e.id === id) as GameEvent;
  const texts = (e: GameEvent, over: Partial<WriteRequest> = {}) =>
    [0, 1, 2, 3].map((variant) => writeFromTemplate(req(e, { variant, ...over })).text);

  it('names the scorer with the running stat line and the clock', () => {
    const e = byId('test:nba:score:1');
    const all = texts(e).join('\n');
    expect(all).toContain('Pascal Siakam');
    expect(all).toContain('hits a three');
    expect(all).toContain('31 points');
    expect(all).toContain('2:01 left in the 4th');
    expect(all).toContain('Pacers 104, Knicks 100');
  });

  it('says a run with its size from detail, with the right article', () => {
    expect(texts(byId('test:nba:run:1')).join('\n')).toMatch(/a 12-0 run/i);
    expect(texts(byId('run-8')).join('\n')).toMatch(/an 8-2 run/i);
  });

  it('phrases milestones from detail, and falls back to the stat line', () => {
    expect(texts(byId('test:nba:milestone:1')).join('\n')).toMatch(/31 points|passes 30 points/);
    const td = texts(byId('dd')).join('\n');
    expect(td).toContain('triple-double');
    expect(td).toContain('28 points, 10 rebounds and 11 assists');
    const odd = texts(byId('odd')).join('\n');
    expect(odd).toContain('Jalen Brunson');
    expect(odd).not.toContain('double');
  });

  it('says halftime, end of regulation and overtime from the period', () => {
    expect(texts(byId('test:nba:period_end:1')).join('\n')).toMatch(/Halftime|at the half/);
    expect(texts(byId('end3')).join('\n')).toMatch(/end of the 3rd/i);
    expect(texts(byId('reg')).join('\n')).toMatch(/overtime/i);
    expect(texts(byId('final-ot')).join('\n')).toMatch(/overtime|Final\/OT/);
    expect(texts(byId('test:nba:final:1')).join('\n')).not.toMatch(/overtime|OT/);
  });

  it("names the winner of a final, with each side's top scorer", () => {
    const final = byId('test:nba:final:1');
    for (const t of texts(final)) {
      expect(t.indexOf('Pacers'), t).toBeLessThan(t.indexOf('Knicks'));
      expect(t, t).toMatch(/104-100|Pacers 104, Knicks 100/);
      expect(t, t).not.toMatch(/Knicks (beat|top|win)/);
      expect(t).toContain('Pascal Siakam led the Pacers with 31 points, 5 rebounds and 4 assists');
    }
  });

  it('a team account leads with its team and never claims its loss as a win', () => {
    const final = byId('test:nba:final:1');
    for (const voice of VOICES) {
      for (const t of texts(final, { teams: ['NY'], voice })) {
        expect(t.indexOf('Knicks'), t).toBeGreaterThanOrEqual(0);
        expect(t.indexOf('Knicks'), t).toBeLessThan(t.indexOf('Pacers'));
        expect(t, t).not.toMatch(/Knicks (beat|top|win|take)/);
      }
      for (const t of texts(final, { teams: ['IND'], voice })) {
        expect(t.indexOf('Pacers'), t).toBeLessThan(t.indexOf('Knicks'));
      }
    }
  });

  it("a team account celebrates its plays and is terse about the opponent's", () => {
    const score = byId('test:nba:score:1'); // Pacers score
    const own = texts(score, { teams: ['IND'], voice: HYPE });
    const opp = texts(score, { teams: ['NY'], voice: HYPE });
    expect(own.some((t) => emojiIn(t).length > 0)).toBe(true);
    expect(own.some((t) => t.includes('!'))).toBe(true);
    for (const t of opp) {
      expect(emojiIn(t), t).toEqual([]);
      expect(t, t).not.toContain('!');
      expect(t.indexOf('Knicks'), t).toBeLessThan(t.indexOf('Pacers'));
    }
  });

  it('football: touchdown scorer (not the passer or the kicker), yards, field goal kicker', () => {
    const list = nflEvents();
    const pass = texts(byId('test:nfl:touchdown:1', list)).join('\n');
    expect(pass).toContain('Jayden Reed');
    expect(pass).not.toMatch(/Jordan Love (scores|finds)/);
    expect(pass).toMatch(/10-yard/);
    const rush = texts(byId('rush-td', list)).join('\n');
    expect(rush).toContain('Desmond Ridder');
    expect(rush).not.toContain('Younghoe Koo');
    const kickOnly = texts(byId('kick-only', list)).join('\n');
    expect(kickOnly).not.toContain('Anders Carlson');
    expect(kickOnly).toContain('Packers');
    const fg = texts(byId('test:nfl:field_goal:1', list)).join('\n');
    expect(fg).toContain('Younghoe Koo');
    expect(fg).toContain('25');
    const to = texts(byId('test:nfl:turnover:1', list)).join('\n');
    expect(to).toMatch(/Interception|Falcons give it away|Falcons turnover/);
  });

  it("uses the sport's period words", () => {
    const hockey = allEvents().find((e) => e.id === 'nhl-2') as GameEvent;
    expect(texts(hockey).join('\n')).toMatch(/2nd period|end of the 2nd/i);
    const hockeyOt = allEvents().find((e) => e.id === 'nhl-ot') as GameEvent;
    expect(texts(hockeyOt).join('\n')).toMatch(/overtime|OT/);
    const base = allEvents().find((e) => e.id === 'test:mlb:score:1') as GameEvent;
    const b = texts(base).join('\n');
    expect(b).toContain('9th');
    expect(b).not.toContain('left in');
  });
});

describe('voice', () => {
  const e = nbaEvents()[1] as GameEvent;

  it('falls back to English for other languages and says so in templateId', () => {
    const fr = writeFromTemplate(req(e, { voice: { ...NEUTRAL, language: 'fr' } }));
    expect(fr.templateId.endsWith(':en-fallback')).toBe(true);
    expect(writeFromTemplate(req(e)).templateId).not.toContain('fallback');
  });

  it('never uses an avoided word, including inflections, and skips phrasings that would', () => {
    for (let variant = 0; variant < 6; variant++) {
      const t = writeFromTemplate(
        req(e, { variant, voice: { ...NEUTRAL, avoidWords: ['score', 'hit'] } }),
      ).text;
      expect(t).not.toMatch(/\bscores?\b|\bhits?\b/i);
    }
  });

  it('throws a TemplateError when every phrasing needs an avoided word', () => {
    expect(() =>
      writeFromTemplate(req(e, { voice: { ...NEUTRAL, avoidWords: ['Pacers', 'Knicks'] } })),
    ).toThrow(TemplateError);
  });

  it('sprinkles useWords on important events only', () => {
    const voice = { ...NEUTRAL, useWords: ['splash'] };
    const important = [0, 1, 2, 3].map((variant) => writeFromTemplate(req(e, { voice, variant })).text);
    expect(important.some((t) => t.startsWith('Splash.'))).toBe(true);
    const minor = [0, 1, 2, 3].map(
      (variant) =>
        writeFromTemplate(
          req(e, { voice, variant, significance: { score: 0.1, reasons: [], breaking: false } }),
        ).text,
    );
    expect(minor.some((t) => t.includes('Splash'))).toBe(false);
  });
});

describe('length', () => {
  const voice: Voice = {
    ...HYPE,
    avoidWords: [],
    useWords: [],
    emoji: ['🔥'],
    hashtags: ['NBA', 'Playoffs'],
  };
  const final = nbaEvents().find((e) => e.kind === 'final') as GameEvent;
  const at = (maxLength: number, platform: Platform = 'x') =>
    writeFromTemplate(req(final, { voice, maxLength, platform })).text;

  it('drops hashtags first, then emoji, then secondary sentences, then trims whole words', () => {
    const full = at(1000);
    expect(full).toContain('#NBA #Playoffs');
    expect(full).toContain('🔥');
    const noSecond = at(measureLength(full, 'x') - 1);
    expect(noSecond).toContain('#NBA');
    expect(noSecond).not.toContain('#Playoffs');
    const body = full.replace(' #NBA #Playoffs', '');
    const noTags = at(measureLength(body, 'x'));
    expect(noTags).toBe(body);
    const noEmoji = at(measureLength(body, 'x') - 1);
    expect(emojiIn(noEmoji)).toEqual([]);
    expect(noEmoji).toBe(body.replace(' 🔥', ''));
    const shorter = at(measureLength(noEmoji, 'x') - 1);
    expect(noEmoji.startsWith(shorter.replace(/[.!]$/, ''))).toBe(true);
    expect(shorter.length).toBeLessThan(noEmoji.length);
  });

  it('never exceeds the limit nor cuts a word, down to tiny limits', () => {
    const words = new Set(
      [0, 1, 2, 3, 4, 5]
        .flatMap((variant) =>
          writeFromTemplate(req(final, { voice, variant, maxLength: 1000 })).text.split(' '),
        )
        .map((w) => w.replace(/[.,:!?]+$/, '')),
    );
    for (const platform of PLATFORMS) {
      for (let max = 12; max <= 300; max += 7) {
        const t = at(max, platform);
        expect(measureLength(t, platform), `${platform} ${max}: ${t}`).toBeLessThanOrEqual(max);
        for (const w of t.split(' '))
          expect(words, `${platform} ${max}: ${t}`).toContain(w.replace(/[.,:!?]+$/, ''));
      }
    }
  });

  it('throws a TemplateError when nothing fits', () => {
    expect(() => at(3)).toThrow(TemplateError);
  });
});

describe('assertClean', () => {
  it.each([
    ['Pacers {score}', 'brace'],
    ['Pacers undefined', 'undefined'],
    ['NaN points', 'NaN'],
    ['null', 'null'],
    ['[object Object] wins', 'object'],
    ['Pacers  win', 'double space'],
    ['Pacers , Knicks', '" ,"'],
    ['', 'empty'],
  ])('rejects %j', (text) => {
    expect(() => assertClean(text, 'x.test')).toThrow(/template x\.test/);
  });

  it('accepts clean text and rejects avoided words', () => {
    expect(() => assertClean('Pacers 104, Knicks 100.', 'x.test')).not.toThrow();
    expect(() =>
      assertClean('Pacers win.', 'x.test', (t) => (t.includes('win') ? 'win' : undefined)),
    ).toThrow(TemplateError);
  });
});

describe('kinds', () => {
  it('every EventKind has a template', () => {
    const kinds: EventKind[] = [...EVENT_KINDS];
    for (const k of kinds)
      expect(() => writeFromTemplate(req(event(nba, k, { teamId: '11' })))).not.toThrow();
  });
});
