/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Promise<string>;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress bars redraw in place). */
  isTTY: boolean;
}

/** A progress line on stderr: redrawn in place on a terminal, every 10% otherwise. */
export function progressReporter(
  io: CliIo,
  label: string,
): (done: number, total: number, extra?: string) => void {
  let lastTenth = -1;
  return (done, total, extra = '') => {
    const ratio = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${(ratio * 100).toFixed(0)}% ${extra}`;
    if (io.isTTY) {
      io.stderr(`\r${line}${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      io.stderr(`${line}\n`);
    }
  };
}
