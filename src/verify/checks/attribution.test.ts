import { describe, expect, it } from 'vitest';
import { checkAttribution } from './attribution.ts';

describe('attribution of quoted words', () => {
  it('refuses a quotation nobody is credited for', () => {
    const r = checkAttribution('Siakam on the win: "We just kept believing in each other." #Pacers');
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('We just kept believing');
  });

  it('accepts quotations with a source', () => {
    expect(checkAttribution('"We just kept believing in each other," Siakam said.').ok).toBe(true);
    expect(checkAttribution('“This one is for the city” — Tyrese Haliburton').ok).toBe(true);
    expect(checkAttribution('"Best win of the season," per @PacersPR').ok).toBe(true);
    expect(checkAttribution('According to the team, "he will be fine for Game 7."').ok).toBe(true);
  });

  it('lets short quoted terms and plain text pass', () => {
    expect(checkAttribution('The "Hick from French Lick" era.').ok).toBe(true);
    expect(checkAttribution('Pacers 125, Knicks 108. Final.').ok).toBe(true);
  });
});
