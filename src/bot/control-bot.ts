import { Bot, type Context, InlineKeyboard } from 'grammy';
import type { Logger } from 'pino';
import { ServiceError, type Services } from '../api/services.ts';
import { type Alert, buttonData, formatAlert, parseButtonData } from './alerts.ts';

export interface ControlBotOptions {
  /** The bot's token (never logged). */
  token: string;
  /** Bot API root. Default: https://api.telegram.org. */
  apiRoot?: string;
  /** Telegram user ids allowed to use the bot; everyone else gets a refusal and nothing else. */
  allow: readonly number[];
  /** Chats that receive alerts. */
  alertChatIds: readonly number[];
  /** The operators' services, the same the API and the CLI use. */
  services: Services;
  logger?: Logger;
}

export interface ControlBot {
  readonly bot: Bot;
  /** Starts long polling (resolves once polling has begun). */
  start(): Promise<void>;
  /** Stops polling; waits for the update being handled. */
  stop(): Promise<void>;
  /** Sends an alert to every alert chat; returns how many chats got it. Never throws. */
  alert(alert: Alert): Promise<number>;
}

export const HELP = [
  'Wire Report control:',
  '/status: queues and pauses per account',
  '/queue: posts awaiting approval (with buttons)',
  '/approve ID, /reject ID: decide a post',
  '/pause ACCOUNT, /resume ACCOUNT: stop or restart publishing',
  "/budget: today's use of each budget",
].join('\n');

export const REFUSAL = 'Sorry, you are not allowed to use this bot.';

/** The audit actor of a Telegram operator. */
const actorOf = (ctx: Context) => `telegram:${ctx.from?.id ?? 'unknown'}(${ctx.from?.username ?? ''})`;

function describe(error: unknown): string {
  if (error instanceof ServiceError) return error.message;
  return `failed: ${(error as Error).message}`;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The operators' Telegram bot (grammy). The allow-list is checked first, for
 * every update: a stranger's message gets one refusal, a stranger's button
 * press a refusal toast, and no command or service is reached. Every action
 * goes through `services` (audited there as `telegram:<user id>`).
 */
export function createControlBot(options: ControlBotOptions): ControlBot {
  const { services, logger } = options;
  const allow = new Set(options.allow);
  const bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});

  bot.use(async (ctx, next) => {
    const from = ctx.from?.id;
    if (from !== undefined && allow.has(from)) return next();
    logger?.warn({ telegramUser: from }, 'control bot: refused a user not on the allow-list');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: REFUSAL, show_alert: true });
    else if (ctx.chat) await ctx.reply(REFUSAL);
  });

  bot.command(['start', 'help'], (ctx) => ctx.reply(HELP));

  bot.command('status', async (ctx) => {
    const { accounts, pausedPlatforms } = await services.listAccounts();
    const lines = accounts.map(
      (a) =>
        `${a.paused ? '⏸' : '▶️'} ${a.id} (${a.platform}): ${a.awaitingApproval} awaiting, ${a.queued} queued${a.lastPostAt ? `, last post ${a.lastPostAt.toISOString()}` : ''}`,
    );
    const paused = (pausedPlatforms as { platform: string }[]).map((p) => p.platform);
    if (paused.length > 0) lines.push(`Paused platforms: ${paused.join(', ')}`);
    await ctx.reply(lines.length > 0 ? lines.join('\n') : 'No accounts.');
  });

  bot.command('queue', async (ctx) => {
    const { posts } = await services.listPosts({ status: ['awaiting_approval'], limit: 10 });
    if (posts.length === 0) return void (await ctx.reply('Nothing awaits approval.'));
    await ctx.reply(`${posts.length} post(s) awaiting approval:`);
    for (const p of posts) {
      await ctx.reply(`${p.id} (${p.accountId}, significance ${p.significance.toFixed(2)}):\n\n${p.text}`, {
        reply_markup: new InlineKeyboard()
          .text('✅ Approve', buttonData('approve', p.id))
          .text('❌ Reject', buttonData('reject', p.id)),
      });
    }
  });

  for (const action of ['approve', 'reject'] as const) {
    bot.command(action, async (ctx) => {
      const id = ctx.match.trim();
      if (!ID.test(id)) return void (await ctx.reply(`Usage: /${action} POST_ID`));
      try {
        const r = await services.postAction(actorOf(ctx), id, action);
        await ctx.reply(`${action === 'approve' ? 'Approved' : 'Rejected'} ${r.id}: now ${r.status}.`);
      } catch (error) {
        await ctx.reply(describe(error));
      }
    });
  }

  for (const paused of [true, false]) {
    const verb = paused ? 'pause' : 'resume';
    bot.command(verb, async (ctx) => {
      const id = ctx.match.trim();
      if (!/^[a-z0-9][a-z0-9_-]{0,99}$/.test(id)) return void (await ctx.reply(`Usage: /${verb} ACCOUNT`));
      try {
        await services.setAccountPaused(actorOf(ctx), id, paused);
        await ctx.reply(`${id} ${paused ? 'paused' : 'resumed'}.`);
      } catch (error) {
        await ctx.reply(describe(error));
      }
    });
  }

  bot.command('budget', async (ctx) => {
    const { accounts } = await services.budgets();
    const money = (n: number) => `$${(n / 1e6).toFixed(2)}`;
    await ctx.reply(
      accounts.length === 0
        ? 'No accounts.'
        : accounts
            .map(
              (b) =>
                `${b.overBudget ? '🔴' : '🟢'} ${b.accountId}: ${b.postsPublished}/${b.postsPerDay} posts, ${money(b.usdMicrosSpent)}/${money(b.usdMicrosPerDay)} today`,
            )
            .join('\n'),
    );
  });

  bot.on('callback_query:data', async (ctx) => {
    const parsed = parseButtonData(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: 'Unknown button.' }));
    try {
      const r = await services.postAction(actorOf(ctx), parsed.postId, parsed.action);
      const done = `${parsed.action === 'approve' ? 'Approved' : 'Rejected'} ${r.id}: now ${r.status}.`;
      await ctx.answerCallbackQuery({ text: done });
      await ctx.reply(`${done} (by ${ctx.from.username ?? ctx.from.id})`);
    } catch (error) {
      await ctx.answerCallbackQuery({ text: describe(error), show_alert: true });
    }
  });

  bot.on('message', (ctx) => ctx.reply(HELP));

  bot.catch((err) =>
    logger?.error({ err: err.error, update: err.ctx.update.update_id }, 'control bot error'),
  );

  let polling: Promise<void> | undefined;
  return {
    bot,
    async start() {
      await bot.init();
      await new Promise<void>((resolve, reject) => {
        polling = bot.start({ drop_pending_updates: false, onStart: () => resolve() }).catch((error) => {
          logger?.error({ err: error }, 'control bot polling stopped');
          reject(error);
        });
      });
    },
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await polling?.catch(() => {});
    },
    async alert(alert) {
      const { text, buttons } = formatAlert(alert);
      const markup = buttons
        ? {
            reply_markup: new InlineKeyboard([buttons.map((b) => ({ text: b.text, callback_data: b.data }))]),
          }
        : {};
      let sent = 0;
      for (const chat of options.alertChatIds) {
        try {
          await bot.api.sendMessage(chat, text, markup);
          sent++;
        } catch (error) {
          logger?.error({ err: error, chat, alert: alert.kind }, 'control bot: alert not delivered');
        }
      }
      return sent;
    },
  };
}
