/** How an account sounds. Declared in the configuration, used by every writer. */
export interface Voice {
  id: string;
  /** Who is speaking ("a die-hard Knicks beat writer"). */
  persona: string;
  /** A few words: "punchy", "neutral", "hype". */
  tone: 'neutral' | 'hype' | 'analytical' | 'wry';
  /** Emoji the voice may use; empty means none. */
  emoji: string[];
  /** Hashtags appended when room allows (without the "#"). */
  hashtags: string[];
  /** Words and phrases the voice likes to use. */
  useWords: string[];
  /** Words that must never appear (checked by the verifier too). */
  avoidWords: string[];
  examples: string[];
  /** BCP 47 language tag. */
  language: string;
}
