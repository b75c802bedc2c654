import { parseArgs } from 'node:util';
import type { CheckResult, Claim, GameFacts, League } from '../../domain/index.ts';
import { isLeague, isPlatform } from '../../domain/index.ts';
import { parseEspnSummary } from '../../sources/espn/summary.ts';
import {
  checkBannedTerms,
  checkFacts,
  checkLength,
  checkMetaText,
  checkPlaceholders,
  extractClaimsWith,
  type FactLookup,
  FactsFormatError,
  factLookup,
  findProblems,
  parseRotoWireRecord,
  rotowireLookup,
  selectRotoWireLine,
} from '../../verify/index.ts';
import type { LlmReview } from '../../verify/llm/review.ts';
import { LlmSetupError, llmJson, llmPass, llmReadable, verifyCallerSpec } from './verify-llm.ts';

export interface VerifyIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Promise<string>;
  /** Where `--llm` reads `WIREREPORT_VERIFY_*` from (and `{ env }` references of `--config`). Default: none. */
  env?: Record<string, string | undefined>;
}

const USAGE =
  'usage: wirereport verify --facts FILE [--facts-format espn|rotowire] [--record N | --game-id ID] (--text TEXT | --text-file FILE) [--json] [--league nba|wnba|nfl|mlb|nhl] [--platform x|bluesky|mastodon|telegram|discord|outbox] [--avoid WORD]... [--llm [--config FILE] [--withdraw]]';

/** Bad input: printed as one line, exit code 2. */
class InputError extends Error {}

/**
 * `wirereport verify`: checks a draft against a game's facts.
 *
 * `--facts-format espn` (the default): `--facts` is an ESPN summary JSON read
 * through `parseEspnSummary`; the league is `--league`, else the summary's
 * `header.league.abbreviation` or `slug`. `--facts-format rotowire`: `--facts`
 * is a RotoWire JSON-lines file; `--record N` (0-based line) or `--game-id ID`
 * (the record's `shared_task_text_id`, `id` or `gameid`) picks the game, and a
 * file with one line needs neither. The draft is `--text` or the contents of `--text-file`. Claims are
 * extracted and grounded; placeholders and meta text are checked, banned terms
 * when `--avoid` is given, and the length when `--platform` is given (no
 * platform: no length limit, so long summaries can be checked too).
 *
 * Exit codes: 0 when every claim is supported and every check passes, 1 when
 * not, 2 on bad input (missing flag, unreadable file, invalid JSON, a summary
 * without a box score), with a message naming the file and field.
 * `--json` prints `{ ok, claims: [{ kind, text, start, end, status, type?, expected?, groundedIn? }], checks }`;
 * every claim that is not supported (a problem) has a `type`: NUMBER, NAME,
 * WORD or CONTEXT, as the INLG 2021 accuracy task types mistakes.
 *
 * `--llm` adds the LLM pass (src/verify/llm/) with the model of `--config FILE`'s `llm.verify`, or of
 * the `WIREREPORT_VERIFY_*` variables: its further problems are listed as claims with `source: "llm"`
 * (and fail the text), and `--json` gains an `llm` object (model, cost in micro-dollars, latency,
 * withdrawn findings, quotes not placed). `--withdraw` lets the model withdraw findings. When the model
 * cannot answer, the deterministic result stands. No model configured: exit 2, saying how to set one.
 */
export async function run(argv: string[], io: VerifyIo): Promise<number> {
  try {
    return await verify(argv, io);
  } catch (error) {
    if (
      error instanceof InputError ||
      error instanceof FactsFormatError ||
      error instanceof LlmSetupError ||
      isFormatError(error)
    ) {
      io.stderr(`verify: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

function isFormatError(error: unknown): boolean {
  return error instanceof Error && error.name === 'SourceFormatError';
}

async function verify(argv: string[], io: VerifyIo): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.facts === undefined) throw new InputError(`--facts FILE is required\n${USAGE}`);
  if ((values.text === undefined) === (values['text-file'] === undefined))
    throw new InputError(`give exactly one of --text TEXT or --text-file FILE\n${USAGE}`);
  if (values.platform !== undefined && !isPlatform(values.platform))
    throw new InputError(`--platform: unknown platform "${values.platform}"`);
  if (values.league !== undefined && !isLeague(values.league))
    throw new InputError(`--league: unknown league "${values.league}" (nba, wnba, nfl, mlb, nhl)`);

  const factsFile = values.facts;
  const format = values['facts-format'] ?? 'espn';
  if (format !== 'espn' && format !== 'rotowire')
    throw new InputError(`--facts-format: unknown format "${format}" (espn, rotowire)`);
  if (format === 'espn' && (values.record !== undefined || values['game-id'] !== undefined))
    throw new InputError(
      '--record and --game-id choose a line of a RotoWire file: add --facts-format rotowire',
    );
  if (values.record !== undefined && values['game-id'] !== undefined)
    throw new InputError('give at most one of --record N or --game-id ID');
  let record: number | undefined;
  if (values.record !== undefined) {
    if (!/^\d+$/.test(values.record))
      throw new InputError(`--record: expected a line index from 0, got "${values.record}"`);
    record = Number(values.record);
  }
  if (!values.llm && (values.config !== undefined || values.withdraw))
    throw new InputError('--config and --withdraw go with --llm');
  const spec = values.llm ? verifyCallerSpec(io.env ?? {}, values.config) : undefined;
  const contents = await readInput(io, factsFile);
  let lookup: FactLookup;
  let game: GameFacts;
  let localDate: string | undefined;
  if (format === 'rotowire') {
    const { json, where } = selectRotoWireLine(contents, factsFile, {
      ...(record !== undefined ? { record } : {}),
      ...(values['game-id'] !== undefined ? { gameId: values['game-id'] } : {}),
    });
    const parsed = parseRotoWireRecord(json, where);
    lookup = rotowireLookup(parsed);
    game = parsed.facts;
    localDate = parsed.localDate;
  } else {
    const json = parseJson(contents, factsFile);
    const league = (values.league as League | undefined) ?? leagueOf(json, factsFile);
    const { facts } = parseEspnSummary(json, { league, file: factsFile });
    lookup = factLookup({ facts });
    game = facts;
  }
  const text = values.text ?? (await readInput(io, values['text-file'] as string));

  const extracted = extractClaimsWith(text, lookup);
  const problems = findProblems(text, lookup, 'unsupported');
  const types = new Map<string, string>(problems.map((p) => [`${p.start}:${p.end}:${p.kind}`, p.type]));
  const review = spec
    ? await llmPass({
        spec,
        text,
        game,
        ...(localDate !== undefined ? { localDate } : {}),
        findings: problems,
        allowWithdraw: values.withdraw ?? false,
      })
    : undefined;
  const claims = review ? withReview(extracted, review, types) : extracted;
  const checks: CheckResult[] = [
    checkFacts(claims, 'reject').result,
    checkPlaceholders(text),
    checkMetaText(text),
  ];
  if (values.avoid && values.avoid.length > 0) checks.push(checkBannedTerms(text, values.avoid));
  if (values.platform !== undefined && isPlatform(values.platform))
    checks.push(checkLength(text, values.platform));
  const ok = claims.every((c) => c.status === 'supported') && checks.every((c) => c.ok);

  if (values.json) {
    const json = claims.map((c) => ({
      ...claimJson(c, types.get(`${c.start}:${c.end}:${c.kind}`)),
      ...(llmClaims.has(c) ? { source: 'llm' } : {}),
    }));
    io.stdout(
      `${JSON.stringify({ ok, claims: json, checks, ...(spec && review ? { llm: llmJson(spec, review) } : {}) })}\n`,
    );
  } else {
    io.stdout(readable(ok, claims, checks));
    if (spec && review) io.stdout(llmReadable(spec, review));
  }
  return ok ? 0 : 1;
}

/** Claims the LLM pass added (for `source: "llm"` in the JSON output). */
const llmClaims = new WeakSet<Claim>();

/**
 * The claims with an LLM review applied: withdrawn findings supported ("withdrawn by LLM: ..."), the
 * model's problems added (typed in `types`, and remembered in `llmClaims`), in text order.
 */
function withReview(claims: readonly Claim[], review: LlmReview, types: Map<string, string>): Claim[] {
  const key = (c: { start: number; end: number; kind: string }) => `${c.start}:${c.end}:${c.kind}`;
  const withdrawn = new Map(review.withdrawn.map((w) => [key(w.problem), w.reason]));
  const out: Claim[] = claims.map((c) => {
    const reason = withdrawn.get(key(c));
    if (reason === undefined || c.status === 'supported') return c;
    types.delete(key(c));
    const { expected: _, ...rest } = c;
    return { ...rest, status: 'supported', groundedIn: `withdrawn by LLM: ${reason}` };
  });
  for (const a of review.added) {
    const claim: Claim = {
      kind: a.kind,
      text: a.text,
      start: a.start,
      end: a.end,
      status: a.status,
      expected: `LLM: ${a.reason || a.type}`,
    };
    types.set(key(claim), a.type);
    llmClaims.add(claim);
    out.push(claim);
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      facts: { type: 'string' },
      text: { type: 'string' },
      'text-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      league: { type: 'string' },
      platform: { type: 'string' },
      avoid: { type: 'string', multiple: true },
      'facts-format': { type: 'string' },
      record: { type: 'string' },
      'game-id': { type: 'string' },
      llm: { type: 'boolean', default: false },
      config: { type: 'string' },
      withdraw: { type: 'boolean', default: false },
    },
  });
}

async function readInput(io: VerifyIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the file${code ? ` (${code})` : ''}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** The league named by the summary header, for when `--league` is not given. */
function leagueOf(json: unknown, file: string): League {
  const header = (json as { header?: { league?: { abbreviation?: unknown; slug?: unknown } } } | null)
    ?.header;
  for (const value of [header?.league?.slug, header?.league?.abbreviation]) {
    if (typeof value === 'string' && isLeague(value.toLowerCase())) return value.toLowerCase() as League;
  }
  throw new InputError(
    `${file}: header.league: expected a league abbreviation or slug (nba, wnba, nfl, mlb, nhl); pass --league`,
  );
}

function claimJson(c: Claim, type: string | undefined) {
  return {
    kind: c.kind,
    text: c.text,
    start: c.start,
    end: c.end,
    status: c.status,
    ...(c.status !== 'supported' && type !== undefined ? { type } : {}),
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    ...(c.groundedIn !== undefined ? { groundedIn: c.groundedIn } : {}),
  };
}

const MARK = { supported: 'ok ', contradicted: 'BAD', unverifiable: '?  ' } as const;

function readable(ok: boolean, claims: Claim[], checks: CheckResult[]): string {
  const lines = [ok ? 'OK: every claim is supported' : 'NOT OK'];
  lines.push(`claims (${claims.length}):`);
  for (const c of claims) {
    const why = c.status === 'supported' ? (c.groundedIn ?? '') : (c.expected ?? 'no fact');
    lines.push(`  ${MARK[c.status]} ${c.kind.padEnd(7)} [${c.start}-${c.end}] "${c.text}" — ${why}`);
  }
  lines.push('checks:');
  for (const c of checks)
    lines.push(`  ${c.ok ? 'ok ' : 'BAD'} ${c.check}${c.reason ? `: ${c.reason}` : ''}`);
  return `${lines.join('\n')}\n`;
}
