import { z } from 'zod';
import { APPROVAL_MODES } from '../domain/account.ts';
import { EVENT_KINDS } from '../domain/event.ts';
import { LEAGUES } from '../domain/league.ts';
import { PLATFORMS } from '../domain/platform.ts';

/**
 * The schema of `wirereport.yaml`. Every option documents its default. Secrets
 * never appear here: credentials are references to environment variables or
 * files, resolved when the configuration is loaded.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24 h)');

/** A secret reference: `{ env: NAME }` or `{ file: PATH }`. */
export const SecretRef = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name') }),
  z.strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof SecretRef>;

export const VoiceConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id (letters, digits, - and _)'),
  persona: z.string().min(1),
  /** Default: neutral. */
  tone: z.enum(['neutral', 'hype', 'analytical', 'wry']).default('neutral'),
  emoji: z.array(z.string()).default([]),
  hashtags: z.array(z.string().regex(/^[^#\s]+$/, 'expected a hashtag without "#" or spaces')).default([]),
  useWords: z.array(z.string()).default([]),
  avoidWords: z.array(z.string()).default([]),
  examples: z.array(z.string()).default([]),
  /** Default: en. */
  language: z.string().default('en'),
});

export const WindowConfig = z.strictObject({
  /** Days of the week, 0 = Sunday. Default: every day. */
  days: z.array(z.number().int().min(0).max(6)).default([0, 1, 2, 3, 4, 5, 6]),
  start: hhmm,
  end: hhmm,
});

export const AccountConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id (letters, digits, - and _)'),
  platform: z.enum(PLATFORMS),
  handle: z.string().min(1),
  voice: z.string().min(1),
  leagues: z.array(z.enum(LEAGUES)).min(1),
  /** Team abbreviations followed; default: none (the whole league). */
  teams: z.array(z.string().regex(/^[A-Z0-9]{2,4}$/, 'expected a team abbreviation such as NY')).default([]),
  /** Default: 0.5. */
  minSignificance: z.number().min(0).max(1).default(0.5),
  /**
   * How the account weighs events (its threshold is `minSignificance`).
   * Default: own-team bonus 0.15, opponent discount 0.15, every kind weighted 1.
   */
  significance: z
    .strictObject({
      /** Added to a followed team's events. Default: 0.15. */
      ownTeamBonus: z.number().min(0).max(1).default(0.15),
      /** Subtracted from the opponent's events. Default: 0.15. */
      opponentDiscount: z.number().min(0).max(1).default(0.15),
      /** Multiplier per event kind ({ run: 1.2, play: 0 }). Default: 1 each. */
      kindWeights: z.partialRecord(z.enum(EVENT_KINDS), z.number().min(0).max(5)).default({}),
    })
    .default({ ownTeamBonus: 0.15, opponentDiscount: 0.15, kindWeights: {} }),
  /** Default: 60 seconds. */
  spacingSeconds: z.number().int().min(0).default(60),
  /** Default: 900 seconds (15 minutes). */
  maxAgeSeconds: z.number().int().min(1).default(900),
  /** IANA time zone for posting windows. Default: UTC. */
  timezone: z.string().default('UTC'),
  /** Default: none (always open). */
  windows: z.array(WindowConfig).default([]),
  budget: z
    .strictObject({
      /** Default: 100. */
      postsPerDay: z.number().int().min(0).default(100),
      /** Dollars per day for LLM calls and platform fees. Default: 1. */
      usdPerDay: z.number().min(0).default(1),
    })
    .default({ postsPerDay: 100, usdPerDay: 1 }),
  approval: z
    .strictObject({
      /** Default: auto. */
      mode: z.enum(APPROVAL_MODES).default('auto'),
      /** For review_above: significance at or above which a human reviews. Default: 0.9. */
      threshold: z.number().min(0).max(1).default(0.9),
      /** Seconds a post waits for review before `onTimeout` applies. Default: 900 (15 minutes). */
      timeoutSeconds: z.number().int().min(1).default(900),
      /** What a review that timed out does: publish the post or drop it. Default: drop. */
      onTimeout: z.enum(['publish', 'drop']).default('drop'),
    })
    .default({ mode: 'auto', threshold: 0.9, timeoutSeconds: 900, onTimeout: 'drop' }),
  /** Name of an entry under `credentials`; without it the account publishes to the outbox. */
  credentials: z.string().optional(),
  /**
   * Ids of accounts that publish this account's lower-priority posts when its
   * platform budget (X's posts and dollars) is spent. Default: none (they wait).
   */
  fallbacks: z.array(z.string()).default([]),
  /**
   * Posts sent as threads (a reply chain) where the platform has them; elsewhere the parts are joined
   * into one message when it fits, else the lead goes alone. Default: none.
   */
  threads: z
    .strictObject({
      /** A game's final summary, followed by its top performers and numbers. Default: false. */
      finals: z.boolean().default(false),
    })
    .default({ finals: false }),
});

export const SourceConfig = z
  .strictObject({
    id: z.string().min(1),
    kind: z.enum(['espn']),
    league: z.enum(LEAGUES),
    /** Default: ESPN's public site API. */
    baseUrl: z.url().default('https://site.api.espn.com/apis/site/v2/sports'),
    /** Default: true. */
    enabled: z.boolean().default(true),
    /**
     * Also poll the league's own liveData feed (cdn.nba.com / cdn.wnba.com), which runs
     * ahead of ESPN; games are mapped through the league's scoreboard. NBA and WNBA only. Default: false.
     */
    liveData: z.boolean().default(false),
    /** Root of the liveData feed. Default: the league's CDN (`https://cdn.nba.com/static/json/liveData`, or cdn.wnba.com). */
    liveDataBaseUrl: z.url().optional(),
  })
  .refine((s) => !s.liveData || s.league === 'nba' || s.league === 'wnba', {
    message: 'liveData is only available for the nba and wnba leagues',
    path: ['liveData'],
  });

export const CredentialsConfig = z.strictObject({
  platform: z.enum(PLATFORMS),
  /** Platform-specific fields, each a secret reference. */
  secrets: z.record(z.string(), SecretRef),
  /** Non-secret settings (instance URL, chat id, ...). */
  settings: z.record(z.string(), z.string()).default({}),
});

export const EngineConfig = z.strictObject({
  /** Folder of the embedded store. Default: .wirereport/data (relative to the configuration file). */
  dataDir: z.string().default('.wirereport/data'),
  http: z
    .strictObject({
      /** Default: 127.0.0.1. */
      host: z.string().default('127.0.0.1'),
      /** Default: 8080. */
      port: z.number().int().min(0).max(65535).default(8080),
    })
    .default({ host: '127.0.0.1', port: 8080 }),
  /** Seconds a publishing lease lasts before the sweeper takes the post back. Default: 60. */
  publishLeaseSeconds: z.number().int().min(5).default(60),
});

/** A price in micro-dollars per million tokens ($0.05 / M tokens = 50000). */
const MicrosPerMTok = z.number().int().min(0);

/**
 * The optional `llm` section: without it every post is written by the template writer. Prices merge
 * over the defaults of `src/write/llm/prices.ts` (docs/platforms.md, late 2026).
 */
export const LlmSection = z.strictObject({
  providers: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case provider name'),
      z.strictObject({
        /** API dialect; `openai` also covers OpenAI-compatible servers. */
        kind: z.enum(['openai', 'anthropic']),
        /** Default: the vendor's public API. */
        baseUrl: z.url().optional(),
        apiKey: SecretRef,
        /** Seconds one attempt may take. Default: 20. */
        timeoutSeconds: z.number().positive().max(600).default(20),
        /** Attempts per call including the first (429, 5xx, timeouts retried). Default: 3. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
      }),
    )
    .refine((r) => Object.keys(r).length > 0, 'expected at least one provider'),
  models: z.strictObject({
    /** Routine events. */
    cheap: z.strictObject({ provider: z.string(), model: z.string().min(1) }),
    /** Breaking events. */
    strong: z.strictObject({ provider: z.string(), model: z.string().min(1) }),
  }),
  /** Micro-dollars per million tokens, by model; merged over the defaults. Default: {}. */
  prices: z
    .record(
      z.string().min(1),
      z.strictObject({ input: MicrosPerMTok, output: MicrosPerMTok, cachedInput: MicrosPerMTok.optional() }),
    )
    .default({}),
  budget: z
    .strictObject({
      /** Dollars of LLM calls per account per UTC day. Default: 0.5. */
      accountUsdPerDay: z.number().min(0).default(0.5),
      /** Dollars of LLM calls for all accounts per UTC day. Default: 10. */
      overallUsdPerDay: z.number().min(0).default(10),
    })
    .default({ accountUsdPerDay: 0.5, overallUsdPerDay: 10 }),
  batch: z
    .strictObject({
      /** Batch routine posts through the cheap model's batch API. Default: false. */
      enabled: z.boolean().default(false),
      /** Longest a batch item waits for its result before the template text stands. Default: 600. */
      maxWaitSeconds: z.number().int().min(60).default(600),
      /** Submit a batch when its oldest item has waited this long. Default: 30. */
      gatherSeconds: z.number().int().min(1).default(30),
      /** Submit a batch as soon as this many items wait. Default: 100. */
      maxItems: z.number().int().min(1).max(50_000).default(100),
      /** A late item: keep the template text, or one direct call. Default: template. */
      lateFallback: z.enum(['template', 'direct']).default('template'),
    })
    .default({
      enabled: false,
      maxWaitSeconds: 600,
      gatherSeconds: 30,
      maxItems: 100,
      lateFallback: 'template',
    }),
  /**
   * LLM-assisted verification after the deterministic verifier (src/verify/llm/). Default: none (off).
   * `mode`: `off`, `suspicious` (LLM-written drafts) or `always` (every draft). Default: suspicious.
   */
  verify: z
    .strictObject({
      /** A provider declared under `providers`. */
      provider: z.string(),
      model: z.string().min(1),
      mode: z.enum(['off', 'suspicious', 'always']).default('suspicious'),
      /** Let the model withdraw deterministic findings it judges wrong. Default: false. */
      allowWithdraw: z.boolean().default(false),
    })
    .optional(),
});

/** The optional `bot` section: the operators' Telegram control bot (src/bot/). */
export const BotSection = z.strictObject({
  /** The bot's token from BotFather, as a secret reference. */
  token: SecretRef,
  /** Telegram user ids allowed to command the bot; anyone else is refused. */
  allow: z.array(z.number().int().positive()).min(1),
  /** Chats (user or group ids) that receive alerts. Default: the allowed users' private chats. */
  alertChatIds: z.array(z.number().int()).optional(),
  /** Bot API root. Default: https://api.telegram.org. */
  apiRoot: z.url().optional(),
});

/** What an experiment arm changes in the account's voice; unset fields keep the voice's own. */
export const ArmVoiceOverride = z.strictObject({
  persona: z.string().min(1).optional(),
  tone: z.enum(['neutral', 'hype', 'analytical', 'wry']).optional(),
  /** `[]` turns emoji off. */
  emoji: z.array(z.string()).optional(),
  /** `[]` turns hashtags off. */
  hashtags: z.array(z.string().regex(/^[^#\s]+$/, 'expected a hashtag without "#" or spaces')).optional(),
  useWords: z.array(z.string()).optional(),
});

/** One arm of an experiment. The first arm of an experiment is its control. */
export const ArmConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id (letters, digits, - and _)'),
  /** Share of the assignments, relative to the other arms' weights. Default: 1. */
  weight: z.number().min(0).max(1000).default(1),
  /** Voice changes for this arm. Default: none. */
  voice: ArmVoiceOverride.optional(),
  /**
   * Template style: which alternative phrasing the writers use (0 = the usual one, N = the N-th
   * alternative; LLMs are told to open differently). Default: 0, so arms differ only in what they declare.
   */
  phrasing: z.number().int().min(0).max(20).default(0),
  /** An extra instruction for LLM writers (needs an `llm` section). Default: none. */
  instruction: z.string().min(1).max(500).optional(),
});

/**
 * An A/B experiment (src/feedback/experiments.ts): for the (event, account) pairs it covers, every
 * arm's variant is written and verified, and one arm, chosen by a hash of event, account and
 * experiment, is published.
 */
export const ExperimentConfig = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id (letters, digits, - and _)'),
    description: z.string().default(''),
    /** Account ids, or `all`. Default: all. */
    accounts: z.union([z.literal('all'), z.array(z.string()).min(1)]).default('all'),
    /** Event kinds covered. Default: every kind. */
    kinds: z.array(z.enum(EVENT_KINDS)).min(1).optional(),
    /** Least significance (as the account sees it) of the events covered. Default: 0 (all routed events). */
    minSignificance: z.number().min(0).max(1).default(0),
    /** Events that happened at or after this time (ISO 8601 with offset) are covered. */
    start: z.iso.datetime({ offset: true }),
    /** Events that happened before this time are covered. Default: no end. */
    end: z.iso.datetime({ offset: true }).optional(),
    arms: z.array(ArmConfig).min(2, 'expected at least two arms (the first is the control)'),
    /** Weights of the engagement metric (latest snapshot per post). Default: likes + reposts + replies. */
    metric: z
      .strictObject({
        likes: z.number().min(0).default(1),
        reposts: z.number().min(0).default(1),
        replies: z.number().min(0).default(1),
        quotes: z.number().min(0).default(0),
      })
      .default({ likes: 1, reposts: 1, replies: 1, quotes: 0 }),
    /** Measured posts each of an arm and the control need before they are compared. Default: 30. */
    minSamples: z.number().int().min(2).default(30),
    /** The two-sided test comparing each arm with the control. Default: welch. */
    test: z.enum(['welch', 'mann-whitney']).default('welch'),
    /** Significance level of the test. Default: 0.05. */
    alpha: z.number().gt(0).lt(1).default(0.05),
  })
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.arms.forEach((arm, i) => {
      if (seen.has(arm.id))
        ctx.addIssue({ code: 'custom', path: ['arms', i, 'id'], message: `duplicate arm id "${arm.id}"` });
      seen.add(arm.id);
    });
    if (e.arms.every((arm) => arm.weight === 0))
      ctx.addIssue({
        code: 'custom',
        path: ['arms'],
        message: 'expected at least one arm with a weight above 0',
      });
    if (e.end !== undefined && Date.parse(e.end) <= Date.parse(e.start))
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'expected an end after the start' });
  });

export type ExperimentConfig = z.infer<typeof ExperimentConfig>;

export const ConfigFile = z.strictObject({
  engine: EngineConfig.default({
    dataDir: '.wirereport/data',
    http: { host: '127.0.0.1', port: 8080 },
    publishLeaseSeconds: 60,
  }),
  voices: z.array(VoiceConfig).min(1),
  accounts: z.array(AccountConfig).min(1),
  sources: z.array(SourceConfig).default([]),
  credentials: z.record(z.string(), CredentialsConfig).default({}),
  /** LLM writing; default: none (the template writer writes everything). */
  llm: LlmSection.optional(),
  /** The Telegram control bot; default: none. */
  bot: BotSection.optional(),
  /** A/B experiments; default: none. */
  experiments: z.array(ExperimentConfig).default([]),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/**
 * Cross-checks of `experiments` against the rest of a parsed file: experiment ids unique, accounts
 * declared, instructions only with an LLM writer. Returns the problems with their paths (none: []).
 */
export function experimentIssues(cfg: ConfigFile): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const accounts = new Set(cfg.accounts.map((a) => a.id));
  const ids = new Set<string>();
  cfg.experiments.forEach((e, i) => {
    if (ids.has(e.id))
      issues.push({ path: ['experiments', i, 'id'], message: `duplicate experiment id "${e.id}"` });
    ids.add(e.id);
    if (e.accounts !== 'all')
      e.accounts.forEach((a, j) => {
        if (!accounts.has(a))
          issues.push({ path: ['experiments', i, 'accounts', j], message: `no account "${a}"` });
      });
    e.arms.forEach((arm, j) => {
      if (arm.instruction !== undefined && cfg.llm === undefined)
        issues.push({
          path: ['experiments', i, 'arms', j, 'instruction'],
          message: 'an instruction needs an LLM writer: add an `llm` section, or use voice or phrasing',
        });
    });
  });
  return issues;
}
