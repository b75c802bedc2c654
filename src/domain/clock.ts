/** Seconds shown by a game clock: "4:31" → 271, "9.1" → 9.1; unreadable → undefined. */
export function clockSeconds(clock: string): number | undefined {
  const match = /^(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(clock.trim());
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2]);
}
