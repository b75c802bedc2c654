import type { TeamFacts } from '../../domain/facts.ts';
import type { Context } from '../context.ts';

/** One phrasing of an event, as separable pieces so the renderer can shorten it. */
export interface Phrase {
  /** Stable id naming the kind and the phrasing ("final.beat"); reported as `templateId`. */
  id: string;
  /** The news itself (one or more sentences); never dropped. */
  main: string;
  /** Secondary sentences, most important first; the renderer drops them last-first when too long. */
  extras: string[];
  /** Sentences added only for analytical voices (shooting splits...), dropped before `extras`. */
  analytic?: string[];
}

/** Templates of one event kind. */
export interface KindTemplates {
  /** The team the event is good news for, if any (decides celebration vs terseness for team accounts). */
  favoured(c: Context): TeamFacts | undefined;
  /**
   * Every phrasing the facts allow, in a fixed order (at least one whenever the event has two teams).
   * Phrasings that would need a missing fact are left out rather than filled with a guess.
   */
  phrasings(c: Context): Phrase[];
}
