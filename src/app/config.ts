import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Account } from '../domain/account.ts';
import type { Platform } from '../domain/platform.ts';
import type { Voice } from '../domain/voice.ts';
import type { LlmConfig } from '../write/llm/config.ts';
import { DEFAULT_PRICES, priceOf, UnknownPriceError } from '../write/llm/prices.ts';
import { ConfigFile, experimentIssues, type SecretRef, type SourceConfig } from './config-schema.ts';
import { UserInputError } from './errors.ts';

/** Credentials with their secrets resolved. Never logged, never stored in clear. */
export interface ResolvedCredentials {
  name: string;
  platform: Platform;
  secrets: Record<string, string>;
  settings: Record<string, string>;
}

/** The configuration as the engine uses it: validated, cross-checked, secrets resolved. */
export interface AppConfig {
  /** Absolute path of the file it came from (or a label for inline configuration). */
  file: string;
  dataDir: string;
  http: { host: string; port: number };
  publishLeaseSeconds: number;
  voices: Map<string, Voice>;
  accounts: Account[];
  sources: z.infer<typeof SourceConfig>[];
  credentials: Map<string, ResolvedCredentials>;
  /** LLM writing; undefined when the configuration has no `llm` section (template writer only). */
  llm?: LlmConfig;
  /** The Telegram control bot; undefined without a `bot` section. */
  bot?: BotConfig;
  /** A/B experiments as declared (src/feedback/experiments.ts reads them); [] when none. */
  experiments: ConfigFile['experiments'];
}

/** The control bot's settings with its token resolved. */
export interface BotConfig {
  token: string;
  allow: number[];
  /** Where alerts go (default: the allowed users' private chats). */
  alertChatIds: number[];
  apiRoot?: string;
}

export interface LoadOptions {
  /** Environment to resolve `{ env: NAME }` references from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Overrides `engine.dataDir`. */
  dataDir?: string;
}

type Path = (string | number)[];

function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(top level)';
}

/** Loads and validates a configuration file. Throws UserInputError naming file, path and expectation. */
export function loadConfig(file: string, options: LoadOptions = {}): AppConfig {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new UserInputError(`${file}: cannot read the configuration file (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseConfig(text, { ...options, file: absolute, label: file });
}

/** Parses configuration text. `label` names the file in error messages. */
export function parseConfig(
  text: string,
  options: LoadOptions & { file: string; label?: string },
): AppConfig {
  const label = options.label ?? options.file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    throw new UserInputError(
      `${label}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  const raw = doc.toJS() as unknown;
  const lineOf = (path: Path): string => {
    let node: unknown = doc.contents;
    let found: unknown = node;
    for (const part of path) {
      if (isMap(node)) node = node.get(part, true);
      else if (isSeq(node)) node = node.get(part as number, true);
      else break;
      if (node) found = node;
    }
    const range = (found as { range?: [number, number, number] } | null)?.range;
    if (!range) return '';
    return `:${lineCounter.linePos(range[0]).line}`;
  };
  const fail = (path: Path, message: string): never => {
    throw new UserInputError(`${label}${lineOf(path)}: ${formatPath(path)}: ${message}`);
  };

  const parsed = ConfigFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    fail(path, describeIssue(issue));
  }
  const cfg = parsed.data!;
  for (const issue of experimentIssues(cfg)) fail(issue.path, issue.message);

  const voices = new Map<string, Voice>();
  cfg.voices.forEach((v, i) => {
    if (voices.has(v.id)) fail(['voices', i, 'id'], `duplicate voice id "${v.id}"`);
    voices.set(v.id, { ...v });
  });

  const env = options.env ?? process.env;
  const credentials = new Map<string, ResolvedCredentials>();
  for (const [name, c] of Object.entries(cfg.credentials)) {
    const secrets: Record<string, string> = {};
    for (const [key, ref] of Object.entries(c.secrets)) {
      secrets[key] = resolveSecret(ref, ['credentials', name, 'secrets', key], env, options.file, fail);
    }
    credentials.set(name, { name, platform: c.platform, secrets, settings: c.settings });
  }

  const ids = new Set<string>();
  const accounts: Account[] = cfg.accounts.map((a, i) => {
    if (ids.has(a.id)) fail(['accounts', i, 'id'], `duplicate account id "${a.id}"`);
    ids.add(a.id);
    if (!voices.has(a.voice)) {
      fail(['accounts', i, 'voice'], `no voice "${a.voice}" (declared: ${[...voices.keys()].join(', ')})`);
    }
    if (a.credentials !== undefined) {
      const c = credentials.get(a.credentials);
      if (!c) fail(['accounts', i, 'credentials'], `no credentials entry "${a.credentials}"`);
      else if (c.platform !== a.platform) {
        fail(
          ['accounts', i, 'credentials'],
          `credentials "${a.credentials}" are for ${c.platform}, the account is on ${a.platform}`,
        );
      }
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: a.timezone });
    } catch {
      fail(['accounts', i, 'timezone'], `unknown time zone "${a.timezone}"`);
    }
    return {
      id: a.id,
      platform: a.platform,
      handle: a.handle,
      voiceId: a.voice,
      leagues: a.leagues,
      teams: a.teams,
      minSignificance: a.minSignificance,
      significance: a.significance,
      spacingSeconds: a.spacingSeconds,
      maxAgeSeconds: a.maxAgeSeconds,
      timezone: a.timezone,
      windows: a.windows,
      budget: { postsPerDay: a.budget.postsPerDay, usdMicrosPerDay: Math.round(a.budget.usdPerDay * 1e6) },
      approval: a.approval,
      ...(a.credentials !== undefined ? { credentials: a.credentials } : {}),
      fallbacks: a.fallbacks,
      threads: a.threads,
    };
  });
  cfg.accounts.forEach((a, i) => {
    a.fallbacks.forEach((f, j) => {
      if (f === a.id) fail(['accounts', i, 'fallbacks', j], 'an account cannot be its own fallback');
      if (!ids.has(f)) fail(['accounts', i, 'fallbacks', j], `no account "${f}"`);
    });
  });

  let llm: LlmConfig | undefined;
  if (cfg.llm) {
    const l = cfg.llm;
    const providers: LlmConfig['providers'] = new Map();
    for (const [name, p] of Object.entries(l.providers)) {
      providers.set(name, {
        name,
        kind: p.kind,
        ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}),
        apiKey: resolveSecret(p.apiKey, ['llm', 'providers', name, 'apiKey'], env, options.file, fail),
        timeoutMs: Math.round(p.timeoutSeconds * 1000),
        maxAttempts: p.maxAttempts,
      });
    }
    const prices = { ...DEFAULT_PRICES, ...l.prices };
    for (const tier of ['cheap', 'strong'] as const) {
      const m = l.models[tier];
      if (!providers.has(m.provider)) {
        fail(
          ['llm', 'models', tier, 'provider'],
          `no provider "${m.provider}" (declared: ${[...providers.keys()].join(', ')})`,
        );
      }
      try {
        priceOf(prices, m.model);
      } catch (error) {
        if (!(error instanceof UnknownPriceError)) throw error;
        fail(['llm', 'models', tier, 'model'], `no price for model "${m.model}": add it under llm.prices`);
      }
    }
    if (l.verify) {
      // llm.verify (LLM-assisted verification): its provider must be declared and its model priced.
      if (!providers.has(l.verify.provider))
        fail(
          ['llm', 'verify', 'provider'],
          `no provider "${l.verify.provider}" (declared: ${[...providers.keys()].join(', ')})`,
        );
      try {
        priceOf(prices, l.verify.model);
      } catch (error) {
        if (!(error instanceof UnknownPriceError)) throw error;
        fail(['llm', 'verify', 'model'], `no price for model "${l.verify.model}": add it under llm.prices`);
      }
    }
    llm = {
      providers,
      models: l.models,
      prices,
      budgets: {
        perAccountMicrosPerDay: Math.round(l.budget.accountUsdPerDay * 1e6),
        overallMicrosPerDay: Math.round(l.budget.overallUsdPerDay * 1e6),
      },
      batch: {
        enabled: l.batch.enabled,
        maxWaitMs: l.batch.maxWaitSeconds * 1000,
        gatherMs: l.batch.gatherSeconds * 1000,
        maxItems: l.batch.maxItems,
        lateFallback: l.batch.lateFallback,
      },
      ...(l.verify ? { verify: l.verify } : {}),
    };
  }

  const bot: BotConfig | undefined = cfg.bot
    ? {
        token: resolveSecret(cfg.bot.token, ['bot', 'token'], env, options.file, fail),
        allow: cfg.bot.allow,
        alertChatIds: cfg.bot.alertChatIds ?? cfg.bot.allow,
        ...(cfg.bot.apiRoot !== undefined ? { apiRoot: cfg.bot.apiRoot } : {}),
      }
    : undefined;

  const baseDir = dirname(options.file);
  const dataDir = options.dataDir ?? cfg.engine.dataDir;
  return {
    file: options.file,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(options.dataDir ? process.cwd() : baseDir, dataDir),
    http: cfg.engine.http,
    publishLeaseSeconds: cfg.engine.publishLeaseSeconds,
    voices,
    accounts,
    sources: cfg.sources,
    credentials,
    ...(llm ? { llm } : {}),
    ...(bot ? { bot } : {}),
    experiments: cfg.experiments,
  };
}

function resolveSecret(
  ref: SecretRef,
  path: Path,
  env: Record<string, string | undefined>,
  configFile: string,
  fail: (path: Path, message: string) => never,
): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') fail(path, `environment variable ${ref.env} is not set`);
    return value!;
  }
  const file = isAbsolute(ref.file) ? ref.file : resolve(dirname(configFile), ref.file);
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (!value) fail(path, `secret file ${ref.file} is empty`);
    return value;
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    return fail(path, `cannot read secret file ${ref.file}`);
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}${issue.input === undefined ? ' (missing)' : ''}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}
