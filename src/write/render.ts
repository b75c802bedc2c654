import type { EventKind } from '../domain/event.ts';
import { buildContext, type Context, lastName, type Side, sideFor } from './context.ts';
import { pick } from './hash.ts';
import { measureLength } from './measure.ts';
import { cap } from './templates/common.ts';
import { type Phrase, TEMPLATES } from './templates/index.ts';
import { avoidMatcher, escapeRegExp, hashtagsOf, speaksLanguage, usableWords } from './voice.ts';
import { TemplateError, type WriteRequest } from './writer.ts';

/** What the renderer produced: the text and the phrasing it came from. */
export interface Rendered {
  text: string;
  templateId: string;
}

const HYPE_OPENERS_NEUTRAL = ['Wow!', 'Big moment!', 'Huge!', 'Oh my!'];
const HYPE_OPENERS_OWN = ['Yes!', "Let's go!", 'Huge!', 'What a moment!'];
const WRY_CLOSERS = ['Naturally.', 'As one does.', 'Noted.', 'Carry on.', 'Make of that what you will.'];

/** Kinds whose news a voice can cheer (a useWord or hype opener fits); not starts, period ends, plays. */
const CELEBRATORY: ReadonlySet<EventKind> = new Set<EventKind>([
  'score',
  'lead_change',
  'tie',
  'run',
  'clutch',
  'final',
  'milestone',
  'touchdown',
  'field_goal',
]);

/** Decorations chosen for one request; each can be dropped to save room. */
interface Decor {
  opener?: string;
  closer?: string;
  emoji: string;
  hashtags: string[];
  exclaim: boolean;
}

/**
 * Renders a request into text that fits `maxLength` in the platform's units.
 *
 * Choice: the phrasing is picked by `pick(event.id, variant)` among the phrasings the facts allow, so
 * the same request always renders the same text and consecutive variants differ. Tone decorations
 * (hype openers and "!", wry closers, analytical splits) and the voice's emoji, useWords and hashtags
 * are added on top. Team accounts get no decoration on the opponent's good news, and only its main
 * sentence.
 *
 * Fitting, in order: hashtags are appended only while they fit; then emoji, analytical and secondary
 * sentences (last first), the closer and the opener are dropped; then the shortest phrasing is used;
 * then trailing whole words are dropped. Never cut mid-word. A text with an avoided word is never
 * returned: such a phrasing or sentence is skipped.
 *
 * @throws TemplateError when no phrasing is free of avoided words, nothing fits, or the output fails
 *   the placeholder check (a template bug).
 */
export function render(req: WriteRequest): Rendered {
  const { event, voice, platform, maxLength } = req;
  const c = buildContext(req);
  const templates = TEMPLATES[event.kind];
  if (!templates)
    throw new TemplateError(`${String(event.kind)}`, `no templates for event kind "${String(event.kind)}"`);
  const suffix = speaksLanguage(voice.language) ? '' : ':en-fallback';
  const avoided = avoidMatcher(voice);
  const fits = (text: string) => measureLength(text, platform) <= maxLength;

  const all = templates.phrasings(c);
  if (all.length === 0) throw new TemplateError(event.kind, `no phrasing for event ${event.id}`);
  const clean = all.filter((p) => avoided(p.main) === undefined);
  if (clean.length === 0) {
    throw new TemplateError(
      all[0]?.id ?? event.kind,
      `every phrasing of event ${event.id} contains an avoided word ("${avoided(all[0]?.main ?? '')}")`,
    );
  }
  const side = sideFor(c, templates.favoured(c));
  const decor = decorate(c, side, avoided);
  const start = pick(event.id, req.variant, 'phrase', clean.length);
  const chosen = clean[start] as Phrase;
  const analytical = voice.tone === 'analytical' && side !== 'opp';
  const extras = side === 'opp' ? [] : chosen.extras.filter((e) => avoided(e) === undefined);
  const analytic = analytical ? (chosen.analytic ?? []).filter((e) => avoided(e) === undefined) : [];

  // Shrinking steps for the chosen phrasing, from richest to barest.
  const steps: { emoji: boolean; analytic: number; extras: number; closer: boolean; opener: boolean }[] = [];
  steps.push({ emoji: true, analytic: analytic.length, extras: extras.length, closer: true, opener: true });
  steps.push({ emoji: false, analytic: analytic.length, extras: extras.length, closer: true, opener: true });
  for (let a = analytic.length - 1; a >= 0; a--) {
    steps.push({ emoji: false, analytic: a, extras: extras.length, closer: true, opener: true });
  }
  for (let e = extras.length - 1; e >= 0; e--) {
    steps.push({ emoji: false, analytic: 0, extras: e, closer: true, opener: true });
  }
  steps.push({ emoji: false, analytic: 0, extras: 0, closer: false, opener: true });
  steps.push({ emoji: false, analytic: 0, extras: 0, closer: false, opener: false });

  for (const [i, step] of steps.entries()) {
    const body = compose(
      c,
      decor,
      chosen.main,
      [...extras.slice(0, step.extras), ...analytic.slice(0, step.analytic)],
      step,
    );
    if (!fits(body)) continue;
    // Hashtags are worth the least: they come back only when nothing else had to go.
    return finish(i === 0 ? withHashtags(body, decor.hashtags, fits) : body, chosen.id + suffix, avoided);
  }

  // The chosen phrasing does not fit even bare: the shortest phrasing, bare.
  const bare = clean
    .map((p) => ({ p, text: compose(c, decor, p.main, [], { emoji: false, closer: false, opener: false }) }))
    .sort((a, b) => measureLength(a.text, platform) - measureLength(b.text, platform))[0];
  if (!bare) throw new TemplateError(chosen.id, 'no phrasing left');
  if (fits(bare.text)) return finish(bare.text, bare.p.id + suffix, avoided);
  const trimmed = trimWords(bare.text, fits);
  if (!trimmed) {
    throw new TemplateError(bare.p.id, `nothing fits in ${maxLength} (${platform}) for event ${event.id}`);
  }
  return finish(trimmed, `${bare.p.id}:trimmed${suffix}`, avoided);
}

function decorate(c: Context, side: Side, avoided: (text: string) => string | undefined): Decor {
  const { voice, event, variant, significance } = c;
  const ok = (text: string) => avoided(text) === undefined;
  const decor: Decor = { emoji: '', hashtags: hashtagsOf(voice).filter(ok), exclaim: false };
  if (side === 'opp') return decor;
  const important = significance.breaking || significance.score >= 0.5;
  // useWords are sprinkled, not stamped: only on celebratory kinds, important events, half the variants.
  const words = usableWords(voice).filter(ok);
  const sprinkle =
    words.length > 0 &&
    important &&
    CELEBRATORY.has(event.kind) &&
    pick(event.id, variant, 'sprinkle', 2) === 0;
  const word = sprinkle ? words[pick(event.id, variant, 'word', words.length)] : undefined;
  if (voice.tone === 'hype') {
    decor.exclaim = true;
    const openers = (side === 'own' ? HYPE_OPENERS_OWN : HYPE_OPENERS_NEUTRAL).filter(ok);
    if (word) decor.opener = `${cap(word)}!`;
    else if (openers.length > 0 && CELEBRATORY.has(event.kind) && (important || side === 'own')) {
      decor.opener = openers[pick(event.id, variant, 'opener', openers.length)];
    }
  } else if (word) {
    decor.opener = `${cap(word)}.`;
  }
  if (voice.tone === 'wry') {
    const closers = WRY_CLOSERS.filter(ok);
    if (closers.length > 0) decor.closer = closers[pick(event.id, variant, 'closer', closers.length)];
  }
  const emoji = voice.emoji.map((e) => e.trim()).filter((e) => e.length > 0 && ok(e));
  if (emoji.length > 0) {
    const i = pick(event.id, variant, 'emoji', emoji.length);
    decor.emoji = emoji[i] ?? '';
    if (voice.tone === 'hype' && emoji.length > 1 && important)
      decor.emoji += emoji[(i + 1) % emoji.length] ?? '';
  }
  return decor;
}

const ABBREVIATION = /(\b(Jr|Sr|St|vs)|\b[A-Z])$/;

/**
 * Turns the first sentence's period into "!" (hype voices). A period that closes an abbreviation or an
 * initial ("vs.", "Jr.", "T.J.") is not a sentence end and is left alone.
 */
function exclaim(text: string): string {
  const ends = /\.(?= [A-Z0-9])|\.$/g;
  for (let m = ends.exec(text); m !== null; m = ends.exec(text)) {
    if (ABBREVIATION.test(text.slice(0, m.index))) continue;
    return `${text.slice(0, m.index)}!${text.slice(m.index + 1)}`;
  }
  return text;
}

function compose(
  c: Context,
  decor: Decor,
  main: string,
  extras: string[],
  use: { emoji: boolean; closer: boolean; opener: boolean },
): string {
  const parts: string[] = [];
  if (use.opener && decor.opener) parts.push(decor.opener);
  parts.push(decor.exclaim ? exclaim(main) : main);
  parts.push(...extras);
  if (use.closer && decor.closer) parts.push(decor.closer);
  if (use.emoji && decor.emoji) parts.push(decor.emoji);
  return fullNameFirst(c, parts.join(' '));
}

/**
 * Secondary sentences refer to players by last name ("Siakam now has 31 points"), assuming the main
 * sentence named them in full. When it did not (another phrasing, or a dropped sentence), the first
 * last-name mention becomes the full name, so every player is named in full once and the verifier
 * can tell who is meant.
 */
function fullNameFirst(c: Context, text: string): string {
  const people = [...c.event.players, ...c.event.game.players];
  const seen = new Set<string>();
  let out = text;
  for (const p of people) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    const last = lastName(p.name);
    // Most players of the game are not in the text at all: the cheap test first.
    if (last === p.name || !out.includes(last) || out.includes(p.name)) continue;
    // Another mentioned player sharing the last name ("Jalen Williams", "Jaylin Williams"): leave it.
    if (people.some((q) => q.id !== p.id && q.name.includes(last) && out.includes(q.name))) continue;
    const at = out.search(new RegExp(`(?<![\\p{L}.'-])${escapeRegExp(last)}(?![\\p{L}'-])`, 'u'));
    if (at >= 0) out = `${out.slice(0, at)}${p.name}${out.slice(at + last.length)}`;
  }
  return out;
}

/** Appends hashtags in the voice's order, each only if the text still fits with it. */
function withHashtags(body: string, hashtags: string[], fits: (text: string) => boolean): string {
  let text = body;
  for (const tag of hashtags) {
    if (text.includes(tag)) continue;
    const next = `${text} ${tag}`;
    if (fits(next)) text = next;
  }
  return text;
}

/** Drops trailing whole words until the text fits; strips dangling punctuation. Undefined if none fit. */
function trimWords(text: string, fits: (text: string) => boolean): string | undefined {
  const words = text.split(' ');
  while (words.length > 0) {
    words.pop();
    const candidate = words.join(' ').replace(/[\s,;:–—-]+$/u, '');
    if (candidate.length === 0) return undefined;
    const closed = /[.!?]$/.test(candidate) ? candidate : `${candidate}.`;
    if (fits(closed)) return closed;
    if (fits(candidate)) return candidate;
  }
  return undefined;
}

const PLACEHOLDERS: [RegExp, string][] = [
  [/[{}]/, 'a brace'],
  [/\bundefined\b/, '"undefined"'],
  [/\bNaN\b/, '"NaN"'],
  [/\bnull\b/, '"null"'],
  [/\bInfinity\b/, '"Infinity"'],
  [/\[object Object\]/, '"[object Object]"'],
  [/ {2}/, 'a double space'],
  [/ ,/, '" ,"'],
  [/ \./, '" ."'],
  [/^\s|\s$/, 'leading or trailing space'],
];

/**
 * The last gate: throws a TemplateError naming the template when the text is empty, holds a
 * placeholder or an avoided word. Exported for other writers that want the same guarantee.
 */
export function assertClean(
  text: string,
  templateId: string,
  avoided?: (text: string) => string | undefined,
): void {
  if (text.trim().length === 0) throw new TemplateError(templateId, 'empty text');
  for (const [re, what] of PLACEHOLDERS) {
    if (re.test(text))
      throw new TemplateError(templateId, `output contains ${what}: ${JSON.stringify(text)}`);
  }
  const word = avoided?.(text);
  if (word !== undefined) throw new TemplateError(templateId, `output contains avoided word "${word}"`);
}

function finish(text: string, templateId: string, avoided: (text: string) => string | undefined): Rendered {
  assertClean(text, templateId, avoided);
  return { text, templateId };
}
