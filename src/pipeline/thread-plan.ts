import type { Account } from '../domain/account.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Voice } from '../domain/voice.ts';
import type { NewPart } from '../store/parts.ts';
import type { GroundingContext } from '../verify/grounding.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import { writeThreadParts } from '../write/thread.ts';
import type { WriteRequest } from '../write/writer.ts';

/** A post's thread as planned at write time. */
export interface ThreadPlan {
  /** The post's verdict: the lead's, made not ok when a part contradicts the facts. */
  verdict: Verdict;
  /** Rows to store: 0 the lead, 1..n the kept replies, renumbered without gaps. Empty: no thread. */
  parts: Omit<NewPart, 'postId'>[];
  /** One line for the post's history: what was kept, dropped, or why the post was rejected. */
  note: string;
}

/**
 * Whether an account wants this event's post as a thread (`threads.finals` on
 * a final). Default (no `threads` setting): no.
 */
export function wantsThread(account: Pick<Account, 'threads'>, kind: string): boolean {
  return kind === 'final' && account.threads?.finals === true;
}

/**
 * Writes and verifies the follow-up parts of a post whose lead was verified.
 * Every part goes through the same verifier as the lead (claims grounded in
 * the event's facts, the platform's length rule for the part alone, duplicates,
 * placeholders, meta text, banned words). The rule for a failing part:
 *
 * - a part with a claim the facts **contradict** rejects the whole post: it
 *   was written from the same facts as the lead, so the facts or the writer
 *   are wrong and nothing of it should go out;
 * - any other failure (a claim the facts cannot check, too long, a duplicate,
 *   an avoided word) drops that part only: parts are optional, and the thread
 *   goes out with the others (or the lead alone when none is left).
 *
 * Returns null when the account wants no thread here, the lead failed, or
 * the facts give nothing to add.
 */
export function planThread(input: {
  account: Pick<Account, 'threads'>;
  request: WriteRequest;
  lead: { text: string; templateId: string; verdict: Verdict };
  ctx: GroundingContext;
  recentTexts: readonly string[];
  voice: Pick<Voice, 'avoidWords'>;
}): ThreadPlan | null {
  const { request, lead } = input;
  if (!lead.verdict.ok || !wantsThread(input.account, request.event.kind)) return null;
  const written = writeThreadParts(request);
  if (written.length === 0) return null;
  const kept: Omit<NewPart, 'postId'>[] = [];
  const dropped: string[] = [];
  for (const [i, part] of written.entries()) {
    const verdict = verifyDraft({
      text: part.text,
      ctx: input.ctx,
      platform: request.platform,
      recentTexts: [...input.recentTexts],
      avoidWords: input.voice.avoidWords,
    });
    const label = `part ${i + 1} (${part.templateId})`;
    if (verdict.reasons.some((r) => r.startsWith('contradicted'))) {
      return {
        verdict: {
          ...lead.verdict,
          ok: false,
          reasons: [...lead.verdict.reasons, ...verdict.reasons.map((r) => `thread:${r}`)],
        },
        parts: [],
        note: `thread ${label} contradicts the facts: ${verdict.reasons.join(', ')}`,
      };
    }
    if (!verdict.ok) {
      dropped.push(`${label}: ${verdict.reasons.join(', ') || 'verification failed'}`);
      continue;
    }
    kept.push({ idx: kept.length + 1, text: part.text, templateId: part.templateId, verdict });
  }
  const note =
    `thread of ${kept.length + 1} post(s)` + (dropped.length > 0 ? `; dropped ${dropped.join('; ')}` : '');
  if (kept.length === 0) return { verdict: lead.verdict, parts: [], note };
  return {
    verdict: lead.verdict,
    parts: [{ idx: 0, text: lead.text, templateId: lead.templateId, verdict: lead.verdict }, ...kept],
    note,
  };
}
