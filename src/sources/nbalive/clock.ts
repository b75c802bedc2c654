/**
 * liveData clocks are ISO 8601 durations ("PT11M38.00S"); ESPN shows "11:38",
 * and tenths under a minute ("7.1"). Returns that display form; an empty or
 * unreadable clock is returned as given.
 */
export function displayClock(iso: string): string {
  const match = /^PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!match || iso === 'PT') return iso;
  const minutes = Number(match[1] ?? 0);
  const seconds = Number(match[2] ?? 0);
  if (minutes === 0) return seconds.toFixed(1);
  return `${minutes}:${String(Math.floor(seconds)).padStart(2, '0')}`;
}

/** Minutes of an ISO duration ("PT20M46.00S" → 20.77), or undefined when unreadable. */
export function durationMinutes(iso: string): number | undefined {
  const match = /^PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!match) return undefined;
  return Number(match[1] ?? 0) + Number(match[2] ?? 0) / 60;
}
