import type { CheckResult, Claim } from '../../domain/index.ts';

/** What to do with a claim the facts neither support nor contradict. Default: `reject`. */
export type UnverifiablePolicy = 'reject' | 'allow';

/**
 * The facts check: any contradicted claim fails it; unverifiable claims fail it
 * unless the policy is `allow`. Returns the check and the machine reasons
 * ("contradicted:number", "unverifiable:player"), one per kind.
 */
export function checkFacts(
  claims: readonly Claim[],
  unverifiable: UnverifiablePolicy = 'reject',
): { result: CheckResult; reasons: string[] } {
  const bad = claims.filter(
    (c) => c.status === 'contradicted' || (c.status === 'unverifiable' && unverifiable === 'reject'),
  );
  if (bad.length === 0) return { result: { check: 'facts', ok: true }, reasons: [] };
  const reasons = [...new Set(bad.map((c) => `${c.status}:${c.kind}`))];
  const detail = bad
    .map((c) => `"${c.text}" ${c.status}${c.expected !== undefined ? ` (${c.expected})` : ''}`)
    .join('; ');
  return { result: { check: 'facts', ok: false, reason: detail }, reasons };
}
