import { readFileSync } from 'node:fs';
import { parseEspnSummary } from '../sources/espn/summary.ts';
import { extractClaims } from './extract-claims.ts';

const j = JSON.parse(readFileSync('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', 'utf8'));
const { facts } = parseEspnSummary(j, { league: 'nba', file: 'x' });
console.log('note', facts.note, facts.venue);
const texts = process.argv.slice(2);
for (const t of texts) {
  console.log('\n>>', t);
  for (const c of extractClaims(t, { facts }))
    console.log(
      `  [${c.start},${c.end}] ${c.kind} ${c.status} "${c.text}" ${c.groundedIn ?? ''} ${c.expected ?? ''}`,
    );
}
