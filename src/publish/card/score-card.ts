import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import type { GameFacts, PlayerFacts, TeamFacts } from '../../domain/facts.ts';
import type { ImageAttachment } from '../platform.ts';

/** Debian's fonts-dejavu-core (`apt-get install -y fonts-dejavu-core`). */
export const DEFAULT_CARD_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

export interface CardFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/**
 * Reads the card's fonts. Throws, naming the file and the package to install,
 * when one is missing: a card without its font would silently render boxes.
 */
export function loadCardFonts(paths: { regular: string; bold: string } = DEFAULT_CARD_FONTS): CardFonts {
  const read = (path: string): Uint8Array => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(
        `score card font ${path} cannot be read (install it: apt-get install -y fonts-dejavu-core)`,
        {
          cause: error,
        },
      );
    }
  };
  return { regular: read(paths.regular), bold: read(paths.bold) };
}

type Node = { type: string; props: Record<string, unknown> & { children?: unknown } };
const el = (type: string, style: Record<string, unknown>, children?: unknown): Node => ({
  type,
  props: { style, ...(children !== undefined ? { children } : {}) },
});

/** The player a card names for a team: top scorer (basketball), passing yards, else rushing yards (football). */
export function leaderOf(facts: GameFacts, team: TeamFacts): { player: PlayerFacts; line: string } | null {
  const players = facts.players.filter((p) => p.teamId === team.id && !p.didNotPlay);
  const by = (key: string) =>
    players
      .filter((p) => typeof p.stats[key] === 'number')
      .sort((a, b) => (b.stats[key] ?? 0) - (a.stats[key] ?? 0) || a.name.localeCompare(b.name))[0];
  if (facts.sport === 'basketball') {
    const p = by('points');
    if (!p) return null;
    const s = p.stats;
    return { player: p, line: `${s.points ?? 0} PTS, ${s.rebounds ?? 0} REB, ${s.assists ?? 0} AST` };
  }
  const passer = by('passing.passingYards');
  if (passer) return { player: passer, line: `${passer.stats['passing.passingYards']} passing yards` };
  const rusher = by('rushing.rushingYards');
  if (rusher) return { player: rusher, line: `${rusher.stats['rushing.rushingYards']} rushing yards` };
  return null;
}

function status(facts: GameFacts): string {
  if (facts.state === 'post') {
    const extra = facts.period - facts.regulationPeriods;
    return extra > 0 ? (extra === 1 ? 'Final/OT' : `Final/${extra}OT`) : 'Final';
  }
  if (facts.state === 'pre') return 'Scheduled';
  return `Period ${facts.period}, ${facts.clock}`;
}

/**
 * The alt text of a card: everything the image shows, in words, so a screen
 * reader user gets the same facts. Pure.
 */
export function scoreCardAlt(facts: GameFacts): string {
  const team = (t: TeamFacts): string =>
    `${t.displayName} ${t.score}${t.linescores.length > 0 ? ` (by period: ${t.linescores.join(', ')})` : ''}`;
  const leaders = [facts.away, facts.home]
    .map((t) => {
      const l = leaderOf(facts, t);
      return l ? `${l.player.name} (${t.abbreviation}): ${l.line}` : null;
    })
    .filter((x): x is string => x !== null);
  return [
    `Score card, ${facts.league.toUpperCase()}, ${status(facts)}.`,
    `${team(facts.away)} at ${team(facts.home)}.`,
    ...(leaders.length > 0 ? [`Leaders: ${leaders.join('; ')}.`] : []),
    ...(facts.venue ? [`${facts.venue.name}${facts.venue.city ? `, ${facts.venue.city}` : ''}.`] : []),
  ].join(' ');
}

const WIDTH = 1200;
const HEIGHT = 675;

/**
 * Renders a game's score card as a PNG (1200 x 675, the 16:9 size every
 * platform shows uncropped) with satori and resvg, and its alt text.
 * Deterministic for the same facts and fonts.
 */
export async function renderScoreCard(facts: GameFacts, fonts: CardFonts): Promise<ImageAttachment> {
  const periods = Math.max(facts.away.linescores.length, facts.home.linescores.length);
  const cell = { width: 64, display: 'flex', justifyContent: 'center' };
  const row = (t: TeamFacts): Node => {
    const won =
      t.winner === true ||
      (facts.state === 'post' && t.score > (t === facts.home ? facts.away : facts.home).score);
    return el(
      'div',
      {
        display: 'flex',
        alignItems: 'center',
        fontSize: 40,
        padding: '14px 0',
        color: won ? '#ffffff' : '#b8c0cc',
      },
      [
        el('div', { width: 130, fontWeight: 700 }, t.abbreviation),
        el('div', { width: 430, fontSize: 30 }, `${t.location} ${t.name}${t.record ? ` (${t.record})` : ''}`),
        ...Array.from({ length: periods }, (_, i) =>
          el('div', { ...cell, fontSize: 30 }, String(t.linescores[i] ?? '-')),
        ),
        el(
          'div',
          { width: 140, display: 'flex', justifyContent: 'flex-end', fontWeight: 700, fontSize: 56 },
          String(t.score),
        ),
      ],
    );
  };
  const header = el('div', { display: 'flex', color: '#7f8a99', fontSize: 26, padding: '0 0 8px 0' }, [
    el('div', { width: 560 }, ''),
    ...Array.from({ length: periods }, (_, i) =>
      el(
        'div',
        cell,
        i < facts.regulationPeriods
          ? String(i + 1)
          : `OT${i - facts.regulationPeriods + 1 > 1 ? i - facts.regulationPeriods + 1 : ''}`,
      ),
    ),
    el('div', { width: 140, display: 'flex', justifyContent: 'flex-end' }, 'T'),
  ]);
  const leaders = [facts.away, facts.home]
    .map((t) => ({ t, l: leaderOf(facts, t) }))
    .filter((x) => x.l !== null)
    .map(({ t, l }) =>
      el('div', { display: 'flex', fontSize: 28, color: '#d7dde5', padding: '6px 0' }, [
        el('div', { width: 130, color: '#7f8a99' }, t.abbreviation),
        el('div', {}, `${l!.player.name}: ${l!.line}`),
      ]),
    );
  const tree = el(
    'div',
    {
      width: WIDTH,
      height: HEIGHT,
      display: 'flex',
      flexDirection: 'column',
      backgroundColor: '#0f1722',
      padding: '48px 64px',
      boxSizing: 'border-box',
      fontFamily: 'DejaVu Sans',
    },
    [
      el(
        'div',
        { display: 'flex', justifyContent: 'space-between', color: '#f5b301', fontSize: 30, fontWeight: 700 },
        [el('div', {}, facts.league.toUpperCase()), el('div', {}, status(facts))],
      ),
      el('div', { display: 'flex', flexDirection: 'column', marginTop: 40 }, [
        header,
        row(facts.away),
        row(facts.home),
      ]),
      el('div', { display: 'flex', flexDirection: 'column', marginTop: 36 }, leaders),
      el('div', { display: 'flex', marginTop: 48, color: '#5d6877', fontSize: 24 }, [
        el(
          'div',
          {},
          facts.venue ? `${facts.venue.name}${facts.venue.city ? `, ${facts.venue.city}` : ''}` : '',
        ),
      ]),
    ],
  );
  const svg = await satori(tree as unknown as Parameters<typeof satori>[0], {
    width: WIDTH,
    height: HEIGHT,
    fonts: [
      { name: 'DejaVu Sans', data: fonts.regular as Buffer, weight: 400, style: 'normal' },
      { name: 'DejaVu Sans', data: fonts.bold as Buffer, weight: 700, style: 'normal' },
    ],
  });
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: WIDTH }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
  return { mimeType: 'image/png', data: new Uint8Array(png), alt: scoreCardAlt(facts) };
}
