/**
 * The replay server of the live benchmark, in its own process (as ESPN is),
 * so that serving 30 growing summaries does not compete with the engine for
 * its event loop. Talks to its parent over IPC:
 *   parent -> { type: 'step' }           advance every game one step
 *   child  -> { type: 'ready', baseUrl } once listening
 *   child  -> { type: 'stepped', at, allFinal }
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startReplayServer } from '../test/support/replay-server.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const games = Number(process.argv[2] ?? 30);
const playsPerStep = Number(process.argv[3] ?? 12);
const start = process.argv[4] ?? new Date(Date.now() + 60_000).toISOString();
const final = JSON.parse(
  readFileSync(root('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json'), 'utf8'),
);
const pregame = JSON.parse(
  readFileSync(root('fixtures/espn/nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json'), 'utf8'),
);
const server = await startReplayServer(
  Array.from({ length: games }, (_, i) => ({
    league: 'nba' as const,
    final,
    pregame,
    espnId: String(700000000 + i),
    playsPerStep,
    startStep: 2 + (i % 3),
    startTime: start,
  })),
);
process.on('message', (message: { type: string }) => {
  if (message.type === 'step') {
    server.step();
    process.send?.({ type: 'stepped', at: Date.now(), allFinal: server.allFinal() });
    // The next step's answers are built now, as a CDN has its bytes ready before anyone asks.
    void server.prepare();
  } else if (message.type === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
await server.prepare(0);
await server.prepare(1);
process.send?.({ type: 'ready', baseUrl: server.baseUrl });
