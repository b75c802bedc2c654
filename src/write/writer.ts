import type { GameEvent, Significance } from '../domain/event.ts';
import type { Platform } from '../domain/platform.ts';
import type { Voice } from '../domain/voice.ts';

/** Everything a writer needs to turn one event into one post for one account. */
export interface WriteRequest {
  /** `event.game` is the box score so far; `event.players` the involved players with stat lines so far. */
  event: GameEvent;
  significance: Significance;
  voice: Voice;
  platform: Platform;
  /** Team abbreviations the account follows; empty = the whole league (neutral). */
  teams: string[];
  /** Variant number for A/B experiments: different variants choose different phrasings. */
  variant: number;
  /** Maximum length in the platform's own units (see `measureLength`); the writer must stay under it. */
  maxLength: number;
  /**
   * An experiment arm's extra instruction for LLM writers ("no emoji, end on a question"). The facts and
   * the rules still win; the template writer has nothing to follow and ignores it. Default: none.
   */
  instruction?: string;
}

/** A draft as written, before verification. */
export interface WrittenDraft {
  text: string;
  /** Name of the writer that produced it ("template", or an LLM writer's name). */
  writer: string;
  /** Which phrasing produced it ("final.beat"), with ":en-fallback" when the voice's language is not supported. */
  templateId: string;
  variant: number;
}

/** Turns a request into a draft. Implementations may be async (LLMs); the template writer is not. */
export interface Writer {
  readonly name: string;
  write(req: WriteRequest): Promise<WrittenDraft>;
}

/**
 * A template produced text it must never produce (a placeholder, `undefined`, a double space...), or
 * no phrasing could be made to fit the request. Always a bug or an impossible request, never transient:
 * the caller should not retry the same request.
 */
export class TemplateError extends Error {
  readonly templateId: string;
  constructor(templateId: string, message: string, options?: { cause?: unknown }) {
    super(`template ${templateId}: ${message}`, options);
    this.name = 'TemplateError';
    this.templateId = templateId;
  }
}
