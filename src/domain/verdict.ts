/** What a claim in a draft says, and whether the facts support it. */
export const CLAIM_KINDS = [
  'number',
  'score',
  'player',
  'team',
  'venue',
  'period',
  'record',
  'superlative',
  'date',
  'word',
] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export const CLAIM_STATUSES = ['supported', 'contradicted', 'unverifiable'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface Claim {
  kind: ClaimKind;
  /** The words of the draft the claim rests on. */
  text: string;
  /** Character span in the draft: [start, end). */
  start: number;
  end: number;
  status: ClaimStatus;
  /** What the facts say, when the claim is not supported. */
  expected?: string;
  /** The fact the claim was grounded in ("Pascal Siakam points = 31"). */
  groundedIn?: string;
}

export const CHECK_NAMES = [
  'facts',
  'length',
  'duplicate',
  'placeholder',
  'banned_terms',
  'meta_text',
  'attribution',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** Human-readable reason when not ok. */
  reason?: string;
}

export interface Verdict {
  ok: boolean;
  claims: Claim[];
  checks: CheckResult[];
  /** Short machine-readable reasons for rejection ("contradicted:number", "length"). */
  reasons: string[];
}
