/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`. Stable across runs and machines, so the same
 * event and variant always pick the same phrasing.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Picks an index in [0, count) for a phrasing slot. The base comes from a hash of the event id and the
 * slot, and the variant is added to it, so two consecutive variants never pick the same phrasing when
 * there is more than one (useful for A/B experiments) while the choice stays a pure function of
 * (eventId, variant, slot).
 */
export function pick(eventId: string, variant: number, slot: string, count: number): number {
  if (count <= 0) throw new RangeError(`pick: count must be positive, got ${count}`);
  const base = fnv1a(`${eventId}|${slot}`);
  const v = Number.isFinite(variant) ? Math.trunc(variant) : 0;
  return (((base + v) % count) + count) % count;
}
