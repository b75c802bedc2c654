import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveBus } from '../../src/api/live-bus.ts';
import { type ControlBot, createControlBot, HELP, REFUSAL } from '../../src/bot/control-bot.ts';
import { AlertWatcher } from '../../src/bot/watcher.ts';
import { type Harness, openHarness } from '../api/harness.ts';
import { freePort } from '../support/peers/ports.ts';

/**
 * The control bot against telegram-test-api (a Bot API emulator): the bot
 * long-polls the emulator as it would Telegram; test clients send commands
 * and button presses as two people, an operator on the allow-list and a
 * stranger, and read what the bot answered them. The bot acts through the
 * same services as the API, over a store with the recorded game replayed.
 */

const OPERATOR = 1001;
const STRANGER = 2002;
const TOKEN = '123456:control-bot-test-token';

interface BotMessage {
  message: {
    chat_id: number | string;
    text: string;
    reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] } | string;
  };
}

type Client = {
  makeCommand(text: string): unknown;
  makeMessage(text: string): unknown;
  makeCallbackQuery(data: string, options?: unknown): unknown;
  sendCommand(m: unknown): Promise<unknown>;
  sendMessage(m: unknown): Promise<unknown>;
  sendCallback(m: unknown): Promise<unknown>;
  getUpdates(): Promise<{ result: BotMessage[] }>;
};

let server: import('telegram-test-api/lib/telegramServer.js').TelegramServer;
let h: Harness;
let control: ControlBot;
let operator: Client;
let stranger: Client;

/** Messages the bot sent to a client's chat, waiting until `count` arrived (or 10 s passed). */
async function read(client: Client, count = 1, ms = 10_000): Promise<BotMessage[]> {
  const out: BotMessage[] = [];
  const until = Date.now() + ms;
  while (out.length < count && Date.now() < until) {
    try {
      out.push(...(await client.getUpdates()).result);
    } catch {
      // The client's own wait ran out; try again until ours does.
    }
  }
  return out;
}

const keyboard = (m: BotMessage) => {
  const markup =
    typeof m.message.reply_markup === 'string' ? JSON.parse(m.message.reply_markup) : m.message.reply_markup;
  return (markup?.inline_keyboard ?? []).flat() as { text: string; callback_data: string }[];
};

async function awaiting(): Promise<{ id: string; text: string; accountId: string }[]> {
  return (await h.services.listPosts({ status: ['awaiting_approval'], limit: 50 })).posts;
}

async function statusOf(id: string): Promise<string> {
  return (await h.services.getPost(id)).post.status;
}

beforeAll(async () => {
  h = await openHarness();
  const { TelegramServer } = await import('telegram-test-api/lib/telegramServer.js');
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const clientOptions = (id: number) => ({
    userId: id,
    chatId: id,
    firstName: `user${id}`,
    userName: `user${id}`,
    timeout: 2000,
    interval: 50,
  });
  operator = server.getClient(TOKEN, clientOptions(OPERATOR)) as unknown as Client;
  stranger = server.getClient(TOKEN, clientOptions(STRANGER)) as unknown as Client;
  control = createControlBot({
    token: TOKEN,
    apiRoot: server.config.apiURL,
    allow: [OPERATOR],
    alertChatIds: [OPERATOR],
    services: h.services,
  });
  await control.start();
}, 120_000);

afterAll(async () => {
  await control?.stop();
  await server?.stop();
  await h?.close();
});

describe('control bot', () => {
  it('refuses a user not on the allow-list, and does nothing for them', async () => {
    const before = (await h.services.listAccounts()).accounts.find((a) => a.id === 'auto')!.paused;
    await stranger.sendCommand(stranger.makeCommand('/pause auto'));
    const replies = await read(stranger);
    expect(replies.map((r) => r.message.text)).toEqual([REFUSAL]);
    expect((await h.services.listAccounts()).accounts.find((a) => a.id === 'auto')!.paused).toBe(before);
    // Nothing more comes after the refusal.
    expect(await read(stranger, 1, 1500)).toEqual([]);
  }, 30_000);

  it('answers /status, /budget and /help with the services data', async () => {
    await operator.sendCommand(operator.makeCommand('/status'));
    const [status] = await read(operator);
    const accounts = (await h.services.listAccounts()).accounts;
    for (const a of accounts)
      expect(status!.message.text).toContain(`${a.id} (${a.platform}): ${a.awaitingApproval} awaiting`);

    await operator.sendCommand(operator.makeCommand('/budget'));
    const [budget] = await read(operator);
    const rows = (await h.services.budgets()).accounts;
    for (const b of rows)
      expect(budget!.message.text).toContain(`${b.accountId}: ${b.postsPublished}/${b.postsPerDay} posts`);

    await operator.sendMessage(operator.makeMessage('hello'));
    expect((await read(operator))[0]!.message.text).toBe(HELP);
  }, 30_000);

  it('lists the approval queue with buttons, and /approve, /reject decide posts', async () => {
    const waiting = await awaiting();
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    await operator.sendCommand(operator.makeCommand('/queue'));
    const shown = Math.min(10, waiting.length);
    const replies = await read(operator, shown + 1);
    expect(replies[0]!.message.text).toContain(`${shown} post(s) awaiting approval`);
    const first = replies[1]!;
    expect(first.message.text).toContain(waiting[0]!.id);
    expect(keyboard(first).map((b) => b.callback_data)).toEqual([
      `approve:${waiting[0]!.id}`,
      `reject:${waiting[0]!.id}`,
    ]);

    await operator.sendCommand(operator.makeCommand(`/approve ${waiting[0]!.id}`));
    expect((await read(operator))[0]!.message.text).toBe(`Approved ${waiting[0]!.id}: now queued.`);
    expect(await statusOf(waiting[0]!.id)).toBe('queued');
    await operator.sendCommand(operator.makeCommand(`/reject ${waiting[1]!.id}`));
    expect((await read(operator))[0]!.message.text).toBe(`Rejected ${waiting[1]!.id}: now rejected.`);
    expect(await statusOf(waiting[1]!.id)).toBe('rejected');
    // A post that moved on cannot be approved again: the service's refusal is relayed.
    await operator.sendCommand(operator.makeCommand(`/approve ${waiting[1]!.id}`));
    expect((await read(operator))[0]!.message.text).toContain('is rejected; approve needs awaiting_approval');
  }, 30_000);

  it('pauses and resumes an account', async () => {
    await operator.sendCommand(operator.makeCommand('/pause auto'));
    expect((await read(operator))[0]!.message.text).toBe('auto paused.');
    expect((await h.services.listAccounts()).accounts.find((a) => a.id === 'auto')!.paused).toBe(true);
    await operator.sendCommand(operator.makeCommand('/resume auto'));
    expect((await read(operator))[0]!.message.text).toBe('auto resumed.');
    expect((await h.services.listAccounts()).accounts.find((a) => a.id === 'auto')!.paused).toBe(false);
    await operator.sendCommand(operator.makeCommand('/pause nobody'));
    expect((await read(operator))[0]!.message.text).toBe('account nobody: not found');
  }, 30_000);

  it('alerts a post entering review with buttons; pressing approve approves it, a stranger cannot', async () => {
    const bus = new LiveBus();
    const sent: string[] = [];
    const watcher = new AlertWatcher({
      services: h.services,
      bus,
      send: async (a) => {
        sent.push(a.kind);
        return control.alert(a);
      },
      platformOf: (id) => h.config.accounts.find((a) => a.id === id)?.platform ?? 'unknown',
      pollMs: 3_600_000,
    });
    watcher.start();
    const post = (await awaiting())[0]!;
    const story = await h.services.getPost(post.id);
    bus.publish({
      type: 'post',
      post: {
        id: post.id,
        accountId: post.accountId,
        eventId: story.event.id,
        status: 'awaiting_approval',
        text: post.text,
        significance: story.post.significance,
        reasons: [],
      },
    });
    const [alert] = await read(operator);
    expect(alert!.message.text).toContain(`awaiting approval (${post.accountId}, ${post.id})`);
    expect(alert!.message.text).toContain(post.text);
    const buttons = keyboard(alert!);
    expect(buttons.map((b) => b.text)).toEqual(['✅ Approve', '❌ Reject']);

    // The stranger presses approve (a forwarded message): refused, nothing changes.
    await stranger.sendCallback(stranger.makeCallbackQuery(buttons[0]!.callback_data) as never);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await statusOf(post.id)).toBe('awaiting_approval');

    await operator.sendCallback(operator.makeCallbackQuery(buttons[0]!.callback_data) as never);
    const [done] = await read(operator);
    expect(done!.message.text).toBe(`Approved ${post.id}: now queued. (by user${OPERATOR})`);
    expect(await statusOf(post.id)).toBe('queued');

    // Budgets at 80% are alerted once per day.
    await watcher.check();
    await watcher.stop();
    expect(sent[0]).toBe('post_review');
  }, 30_000);
});
