import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The demo network shipped with the engine. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../../demo/wirereport.yaml', import.meta.url));

/** Recorded games the demo replays. */
export const DEMO_RECORDINGS = [
  fileURLToPath(
    new URL('../../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url),
  ),
  fileURLToPath(
    new URL('../../../fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json', import.meta.url),
  ),
];

/** `wirereport.yaml` in the working folder when there is one, else the demo network. */
export const DEFAULT_CONFIG = existsSync('wirereport.yaml') ? 'wirereport.yaml' : DEMO_CONFIG;
