import type { Mention } from '../mentions.ts';
import type { Span } from '../text.ts';
import type { RuleContext } from './context.ts';

/** What a team does in a sentence: wins, loses, leads or trails. */
export type Sense = 'win' | 'lose' | 'lead' | 'trail';

export interface TeamAction {
  subject: Mention;
  sense: Sense;
  /** From the subject to the end of the verb (and object, when there is one). */
  span: Span;
  /** The other team, in "Pacers beat the Knicks" / "Knicks fall to the Pacers". */
  object?: Mention;
  /** Past tense of a lead ("led"), which only a period can ground. */
  past: boolean;
}

const WIN_TRANSITIVE =
  'beat|beats|beating|defeat|defeats|defeated|top|tops|topped|down|downs|downed|edge|edges|edged|rout|routs|routed|blow out|blows out|blew out|outlast|outlasts|outlasted|hold off|holds off|held off|survive|survives|survived|hammer|hammers|hammered|crush|crushes|crushed|stun|stuns|stunned|sink|sinks|sank|dispatch|dispatches|dispatched|eliminate|eliminates|eliminated|oust|ousts|ousted|handle|handles|handled|dominate|dominates|dominated|knock off|knocks off|knocked off|close out|closes out|closed out|get past|gets past|got past|take down|takes down|took down|upset|upsets|over|past';
const WIN_INTRANSITIVE =
  'win|wins|won|prevail|prevails|prevailed|hold on|holds on|held on|clinch|clinches|clinched|advance|advances|advanced|roll|rolls|rolled|cruise|cruises|cruised';
const LOSE =
  'lose|loses|lost|fall|falls|fell|drop|drops|dropped|succumb|succumbs|succumbed|are eliminated|were eliminated|bow out|bows out|bowed out';
const LEAD = 'lead|leads|leading|are up|up|ahead|led';
const TRAIL = 'trail|trails|trailing|trailed|are down|down|behind';

const VERB = new RegExp(
  `^(?:['’]s?)?\\s+(?:(?:\\p{L}+ly|now|still)\\s+)?(?:(${WIN_TRANSITIVE})\\s+(?:the\\s+)?|(${LOSE})(?:\\s+to\\s+(?:the\\s+)?)?|(${WIN_INTRANSITIVE})\\b|(${LEAD})\\b|(${TRAIL})\\b)`,
  'iu',
);

/**
 * Finds each team of the game followed by a verb of winning, losing, leading
 * or trailing. A transitive win needs the other team right after the verb
 * ("Pacers beat the Knicks"); "down" followed by a number is trailing ("down
 * 54-50"), followed by a team it is winning ("Pacers down the Knicks").
 */
export function teamActions(ctx: RuleContext, scope: Span): TeamAction[] {
  const actions: TeamAction[] = [];
  const teams = ctx.mentions.filter(
    (m) => m.kind === 'team' && m.id !== undefined && m.start >= scope.start && m.end <= scope.end,
  );
  for (const subject of teams) {
    const rest = ctx.text.slice(subject.end, scope.end);
    const m = VERB.exec(rest);
    if (!m) continue;
    const verbEnd = subject.end + m[0].length;
    if (m[1] !== undefined || (m[2] !== undefined && /\bto\s+(?:the\s+)?$/i.test(m[0]))) {
      const object = teams.find((t) => t.start === verbEnd || t.start === verbEnd + 1);
      if (object && object.id !== subject.id) {
        actions.push({
          subject,
          sense: m[1] !== undefined ? 'win' : 'lose',
          span: { start: subject.start, end: object.end },
          object,
          past: false,
        });
        continue;
      }
      if (m[1] !== undefined) {
        // "down 54-50" is trailing; "over the last ..." is no result between the two teams.
        if (/^down$/i.test(m[1])) {
          const end = subject.end + m[0].trimEnd().replace(/\s+the$/i, '').length;
          actions.push({ subject, sense: 'trail', span: { start: subject.start, end }, past: false });
        }
        continue;
      }
      actions.push({ subject, sense: 'lose', span: { start: subject.start, end: verbEnd }, past: false });
      continue;
    }
    const verb = (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').toLowerCase();
    const sense: Sense =
      m[2] !== undefined ? 'lose' : m[3] !== undefined ? 'win' : m[4] !== undefined ? 'lead' : 'trail';
    const span = { start: subject.start, end: subject.end + m[0].trimEnd().length };
    actions.push({ subject, sense, span, past: verb === 'led' || verb === 'trailed' });
  }
  // "down" / "up" only mean a margin when a number follows.
  return actions.filter((a) => {
    const verb = ctx.text.slice(a.subject.end, a.span.end).trim().toLowerCase();
    if (!/(?:^|\s)(?:down|up)$/.test(verb)) return true;
    return /^\s*(?:by\s+)?\d/.test(ctx.text.slice(a.span.end, scope.end));
  });
}
