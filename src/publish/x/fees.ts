import twitterText from 'twitter-text';

/** X's pay-per-use prices (platforms.md, Feb 2026), micro-dollars: configuration defaults. */
export const X_FEES = {
  /** A post without a URL. */
  postUsdMicros: 15_000,
  /** A post that contains a URL. */
  postWithUrlUsdMicros: 200_000,
} as const;

/** What X charges for publishing this text (one post). Pure. */
export function xPostFeeUsdMicros(
  text: string,
  fees: { postUsdMicros: number; postWithUrlUsdMicros: number } = X_FEES,
): number {
  return twitterText.extractUrls(text).length > 0 ? fees.postWithUrlUsdMicros : fees.postUsdMicros;
}

/** Twitter's weighted length (config v3: URLs 23, CJK and emoji 2) and whether X accepts it. Pure. */
export function xLength(text: string): { weighted: number; valid: boolean } {
  const parsed = twitterText.parseTweet(text);
  return { weighted: parsed.weightedLength, valid: parsed.valid };
}
