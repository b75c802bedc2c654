import { parseArgs } from 'node:util';
import { UserInputError } from '../../app/errors.ts';
import { POST_STATUSES, type PostStatus } from '../../domain/post.ts';
import { ROLES, type Role } from '../../store/tokens.ts';
import { USER_ROLES, type UserRole } from '../../store/users.ts';
import { WEBHOOK_EVENTS, type WebhookEventType } from '../../store/webhooks.ts';
import type { CliIo } from '../io.ts';
import {
  BACKEND_OPTIONS,
  type Backend,
  CommandError,
  closeBackend,
  local,
  openBackend,
  readSecretInput,
} from './operator-backend.ts';

/**
 * The operators' commands: posts, accounts, budget, token, user, secrets,
 * webhooks. Each action is one API call (server running) or one service call
 * (store opened here): the same functions either way.
 */

type Flags = Record<string, { type: 'string' | 'boolean'; default?: string | boolean; multiple?: boolean }>;

async function withBackend(
  argv: string[],
  io: CliIo,
  flags: Flags,
  body: (
    b: Backend,
    positionals: string[],
    values: Record<string, string | boolean | string[] | undefined>,
  ) => Promise<unknown>,
  print: (result: unknown, io: CliIo) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...BACKEND_OPTIONS, ...flags },
    allowPositionals: true,
  });
  const backend = await openBackend(values as { config?: string; data?: string; local?: boolean }, io);
  try {
    const result = await body(backend, positionals, values as Record<string, string | boolean | undefined>);
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else print(result, io);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr(`wirereport: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await closeBackend(backend);
  }
}

function need(positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (!v) throw new UserInputError(`missing ${what}`);
  return v;
}

const enc = encodeURIComponent;
const printJson = (result: unknown, io: CliIo) => io.stdout(`${JSON.stringify(result, null, 2)}\n`);

/** `wirereport posts list|show|approve|reject|cancel|retry|edit ...` */
export function posts(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const flags: Flags = {
    status: { type: 'string' },
    account: { type: 'string' },
    league: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    cursor: { type: 'string' },
    limit: { type: 'string', default: '50' },
    note: { type: 'string' },
    text: { type: 'string' },
  };
  switch (sub) {
    case 'list':
      return withBackend(
        rest,
        io,
        flags,
        async (b, _p, v) => {
          const status = typeof v.status === 'string' ? v.status.split(',') : undefined;
          for (const s of status ?? [])
            if (!(POST_STATUSES as readonly string[]).includes(s))
              throw new UserInputError(`--status: unknown status "${s}" (${POST_STATUSES.join(', ')})`);
          if (b.kind === 'remote') {
            const q = new URLSearchParams();
            for (const k of ['status', 'account', 'league', 'from', 'to', 'cursor', 'limit'])
              if (typeof v[k] === 'string') q.set(k, v[k] as string);
            return b.call('GET', `/api/posts?${q}`);
          }
          return local(() =>
            b.services.listPosts({
              limit: Number(v.limit),
              ...(status ? { status: status as PostStatus[] } : {}),
              ...(typeof v.account === 'string' ? { accountId: v.account } : {}),
              ...(typeof v.league === 'string' ? { league: v.league } : {}),
              ...(typeof v.from === 'string' ? { from: new Date(v.from) } : {}),
              ...(typeof v.to === 'string' ? { to: new Date(v.to) } : {}),
              ...(typeof v.cursor === 'string' ? { cursor: v.cursor } : {}),
            }),
          );
        },
        (r, out) => {
          const page = r as {
            posts: { id: string; status: string; accountId: string; createdAt: string; text: string }[];
            nextCursor: string | null;
          };
          for (const p of page.posts)
            out.stdout(
              `${p.id}  ${String(p.status).padEnd(17)} ${p.accountId.padEnd(12)} ${new Date(p.createdAt).toISOString()}  ${p.text.replace(/\s+/g, ' ').slice(0, 80)}\n`,
            );
          if (page.nextCursor) out.stdout(`next page: --cursor ${page.nextCursor}\n`);
        },
      );
    case 'show':
      return withBackend(
        rest,
        io,
        {},
        (b, p) => {
          const id = need(p, 0, 'post id');
          return b.kind === 'remote'
            ? b.call('GET', `/api/posts/${enc(id)}`)
            : local(() => b.services.getPost(id));
        },
        printJson,
      );
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'retry': {
      const action = sub;
      return withBackend(
        rest,
        io,
        flags,
        (b, p, v) => {
          const id = need(p, 0, 'post id');
          const note = typeof v.note === 'string' ? v.note : undefined;
          return b.kind === 'remote'
            ? b.call('POST', `/api/posts/${enc(id)}/${action}`, note ? { note } : {})
            : local(() => b.services.postAction(b.actor, id, action, note));
        },
        (r, out) => {
          const x = r as { id: string; status: string };
          out.stdout(`${x.id}: ${x.status}\n`);
        },
      );
    }
    case 'edit':
      return withBackend(
        rest,
        io,
        flags,
        (b, p, v) => {
          const id = need(p, 0, 'post id');
          if (typeof v.text !== 'string' || !v.text)
            throw new UserInputError('--text: the new text is required');
          const text = v.text;
          return b.kind === 'remote'
            ? b.call('POST', `/api/posts/${enc(id)}/edit`, { text })
            : local(() => b.services.editPost(b.actor, id, text));
        },
        (r, out) => {
          const x = r as { id: string; status: string };
          out.stdout(`${x.id}: edited and verified (${x.status})\n`);
        },
      );
    default:
      throw new UserInputError(
        'usage: wirereport posts list|show|approve|reject|cancel|retry|edit [ID] [options]',
      );
  }
}

/** `wirereport accounts list|pause ID|resume ID|pause-platform P|resume-platform P` */
export function accounts(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list' || sub === undefined)
    return withBackend(
      rest,
      io,
      {},
      (b) => (b.kind === 'remote' ? b.call('GET', '/api/accounts') : local(() => b.services.listAccounts())),
      (r, out) => {
        const x = r as {
          accounts: {
            id: string;
            platform: string;
            paused: boolean;
            queued: number;
            awaitingApproval: number;
          }[];
        };
        for (const a of x.accounts)
          out.stdout(
            `${a.id.padEnd(14)} ${a.platform.padEnd(9)} ${a.paused ? 'PAUSED' : 'active'}  queued ${a.queued}, awaiting approval ${a.awaitingApproval}\n`,
          );
      },
    );
  const platform = sub === 'pause-platform' || sub === 'resume-platform';
  if (!['pause', 'resume', 'pause-platform', 'resume-platform'].includes(sub))
    throw new UserInputError(
      'usage: wirereport accounts list|pause ID|resume ID|pause-platform P|resume-platform P',
    );
  const paused = sub.startsWith('pause');
  return withBackend(
    rest,
    io,
    {},
    (b, p) => {
      const target = need(p, 0, platform ? 'platform' : 'account id');
      const verb = paused ? 'pause' : 'resume';
      if (b.kind === 'remote')
        return b.call(
          'POST',
          platform ? `/api/platforms/${enc(target)}/${verb}` : `/api/accounts/${enc(target)}/${verb}`,
        );
      return local<unknown>(() =>
        platform
          ? b.services.setPlatformPaused(b.actor, target, paused)
          : b.services.setAccountPaused(b.actor, target, paused),
      );
    },
    (r, out) => out.stdout(`${JSON.stringify(r)}\n`),
  );
}

/** `wirereport budget [--costs] [--from ISO] [--to ISO] [--account ID]` */
export function budget(argv: string[], io: CliIo): Promise<number> {
  return withBackend(
    argv,
    io,
    {
      costs: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      account: { type: 'string' },
    },
    async (b, _p, v) => {
      if (!v.costs)
        return b.kind === 'remote' ? b.call('GET', '/api/budgets') : local(() => b.services.budgets());
      const to = typeof v.to === 'string' ? new Date(v.to) : new Date();
      const from = typeof v.from === 'string' ? new Date(v.from) : new Date(to.getTime() - 7 * 86_400_000);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
        throw new UserInputError('--from/--to: expected ISO times');
      if (b.kind === 'remote') {
        const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
        if (typeof v.account === 'string') q.set('account', v.account);
        return b.call('GET', `/api/costs?${q}`);
      }
      const rows = await local(() =>
        b.services.costs({ from, to, ...(typeof v.account === 'string' ? { accountId: v.account } : {}) }),
      );
      return { from, to, rows };
    },
    (r, out) => {
      const x = r as {
        accounts?: {
          accountId: string;
          postsPublished: number;
          postsPerDay: number;
          usdMicrosSpent: number;
          usdMicrosPerDay: number;
        }[];
        rows?: {
          day: string;
          accountId: string | null;
          kind: string;
          provider: string;
          model: string | null;
          usdMicros: number;
          tokensIn: number;
          tokensOut: number;
        }[];
      };
      for (const a of x.accounts ?? [])
        out.stdout(
          `${a.accountId.padEnd(14)} posts ${a.postsPublished}/${a.postsPerDay} today, spent $${(a.usdMicrosSpent / 1e6).toFixed(4)} of $${(a.usdMicrosPerDay / 1e6).toFixed(2)}\n`,
        );
      for (const c of x.rows ?? [])
        out.stdout(
          `${c.day} ${String(c.accountId ?? '-').padEnd(14)} ${c.kind} ${c.provider}/${c.model ?? '-'}  $${(c.usdMicros / 1e6).toFixed(4)}  ${c.tokensIn} in / ${c.tokensOut} out tokens\n`,
        );
    },
  );
}

/** `wirereport token create --role R --name N | list | revoke ID` */
export function token(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const flags: Flags = { role: { type: 'string' }, name: { type: 'string' } };
  switch (sub) {
    case 'create':
      return withBackend(
        rest,
        io,
        flags,
        (b, _p, v) => {
          const role = v.role as Role;
          if (!(ROLES as readonly string[]).includes(role))
            throw new UserInputError(`--role: one of ${ROLES.join(', ')}`);
          if (typeof v.name !== 'string' || !v.name) throw new UserInputError('--name: required');
          const name = v.name;
          return b.kind === 'remote'
            ? b.call('POST', '/api/tokens', { name, role })
            : local(() => b.services.createToken(b.actor, name, role));
        },
        (r, out) => {
          const x = r as { token: string; info: { id: string; role: string; name: string } };
          out.stdout(`${x.token}\n`);
          io.stderr(
            `token ${x.info.id} (${x.info.name}, ${x.info.role}) created; it is shown only this once\n`,
          );
        },
      );
    case 'list':
      return withBackend(
        rest,
        io,
        {},
        async (b) =>
          b.kind === 'remote' ? b.call('GET', '/api/tokens') : { tokens: await b.services.listTokens() },
        (r, out) => {
          for (const t of (
            r as { tokens: { id: string; name: string; role: string; revokedAt: string | null }[] }
          ).tokens)
            out.stdout(`${t.id}  ${t.role.padEnd(8)} ${t.name}${t.revokedAt ? '  (revoked)' : ''}\n`);
        },
      );
    case 'revoke':
      return withBackend(
        rest,
        io,
        {},
        (b, p) => {
          const id = need(p, 0, 'token id');
          return b.kind === 'remote'
            ? b.call('DELETE', `/api/tokens/${enc(id)}`)
            : local(() => b.services.revokeToken(b.actor, id));
        },
        (r, out) => out.stdout(`${(r as { id: string }).id}: revoked\n`),
      );
    default:
      throw new UserInputError('usage: wirereport token create --role R --name N | list | revoke ID');
  }
}

/** `wirereport user create NAME --role R` (password from WIREREPORT_PASSWORD or stdin) `| list | disable NAME` */
export function user(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create':
      return withBackend(
        rest,
        io,
        { role: { type: 'string' } },
        async (b, p, v) => {
          const name = need(p, 0, 'user name');
          const role = v.role as UserRole;
          if (!(USER_ROLES as readonly string[]).includes(role))
            throw new UserInputError(`--role: one of ${USER_ROLES.join(', ')}`);
          const password = await readSecretInput(io, 'WIREREPORT_PASSWORD', 'password');
          return b.kind === 'remote'
            ? b.call('POST', '/api/users', { name, role, password })
            : local(() => b.services.createUser(b.actor, name, role, password));
        },
        (r, out) => {
          const x = r as { id: string; name: string; role: string };
          out.stdout(`user ${x.name} (${x.role}) created: ${x.id}\n`);
        },
      );
    case 'list':
      return withBackend(
        rest,
        io,
        {},
        async (b) =>
          b.kind === 'remote' ? b.call('GET', '/api/users') : { users: await b.services.listUsers() },
        (r, out) => {
          for (const u of (r as { users: { name: string; role: string; disabledAt: string | null }[] }).users)
            out.stdout(`${u.name.padEnd(20)} ${u.role}${u.disabledAt ? '  (disabled)' : ''}\n`);
        },
      );
    case 'disable':
      return withBackend(
        rest,
        io,
        {},
        (b, p) => {
          const name = need(p, 0, 'user name');
          return b.kind === 'remote'
            ? b.call('DELETE', `/api/users/${enc(name)}`)
            : local(() => b.services.disableUser(b.actor, name));
        },
        (r, out) => out.stdout(`${(r as { name: string }).name}: disabled\n`),
      );
    default:
      throw new UserInputError('usage: wirereport user create NAME --role R | list | disable NAME');
  }
}

/**
 * `wirereport secrets set NAME` (value from WIREREPORT_SECRET_VALUE or stdin)
 * `| list | delete NAME | rotate-key [--new-key BASE64]`
 */
export function secrets(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'set':
      return withBackend(
        rest,
        io,
        {},
        async (b, p) => {
          const name = need(p, 0, 'secret name');
          const value = await readSecretInput(io, 'WIREREPORT_SECRET_VALUE', 'secret value');
          return b.kind === 'remote'
            ? b.call('PUT', `/api/secrets/${enc(name)}`, { value })
            : local(() => b.services.putSecret(b.actor, name, value));
        },
        (r, out) => out.stdout(`${(r as { name: string }).name}: stored (encrypted)\n`),
      );
    case 'list':
      return withBackend(
        rest,
        io,
        {},
        async (b) =>
          b.kind === 'remote' ? b.call('GET', '/api/secrets') : { secrets: await b.services.listSecrets() },
        (r, out) => {
          for (const s of (r as { secrets: { name: string; keyId: string }[] }).secrets)
            out.stdout(`${s.name.padEnd(40)} key ${s.keyId}\n`);
        },
      );
    case 'delete':
      return withBackend(
        rest,
        io,
        {},
        (b, p) => {
          const name = need(p, 0, 'secret name');
          return b.kind === 'remote'
            ? b.call('DELETE', `/api/secrets/${enc(name)}`)
            : local(() => b.services.deleteSecret(b.actor, name));
        },
        (r, out) => out.stdout(`${(r as { name: string }).name}: deleted\n`),
      );
    case 'rotate-key':
      return withBackend(
        rest,
        io,
        { 'new-key': { type: 'string' } },
        (b, _p, v) => {
          const key = typeof v['new-key'] === 'string' ? v['new-key'] : io.env.WIREREPORT_NEW_SECRET_KEY;
          return b.kind === 'remote'
            ? b.call('POST', '/api/secrets/rotate-key', key ? { key } : {})
            : local(() => b.services.rotateKey(b.actor, key));
        },
        (r, out) => {
          const x = r as { keyId: string; key: string; reencrypted: number };
          out.stdout(`${x.key}\n`);
          io.stderr(
            `re-encrypted ${x.reencrypted} secret(s) under key ${x.keyId}; set WIREREPORT_SECRET_KEY to the key above before the next start\n`,
          );
        },
      );
    default:
      throw new UserInputError(
        'usage: wirereport secrets set NAME | list | delete NAME | rotate-key [--new-key BASE64]',
      );
  }
}

/** `wirereport webhooks add URL [--events a,b] | list | disable ID | deliveries` */
export function webhooks(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return withBackend(
        rest,
        io,
        { events: { type: 'string' } },
        (b, p, v) => {
          const url = need(p, 0, 'endpoint URL');
          const events = (
            typeof v.events === 'string' ? v.events.split(',') : [...WEBHOOK_EVENTS]
          ) as WebhookEventType[];
          for (const e of events)
            if (!(WEBHOOK_EVENTS as readonly string[]).includes(e))
              throw new UserInputError(`--events: one of ${WEBHOOK_EVENTS.join(', ')}`);
          if (!/^https?:\/\//.test(url)) throw new UserInputError('URL: expected http:// or https://');
          return b.kind === 'remote'
            ? b.call('POST', '/api/webhooks', { url, events })
            : local(() => b.services.createWebhook(b.actor, url, events));
        },
        (r, out) => {
          const x = r as { endpoint: { id: string }; secret: string };
          out.stdout(`${x.secret}\n`);
          io.stderr(`endpoint ${x.endpoint.id} added; its signing secret above is shown only this once\n`);
        },
      );
    case 'list':
      return withBackend(
        rest,
        io,
        {},
        async (b) =>
          b.kind === 'remote'
            ? b.call('GET', '/api/webhooks')
            : { endpoints: await b.services.listWebhooks() },
        printJson,
      );
    case 'disable':
      return withBackend(
        rest,
        io,
        {},
        (b, p) => {
          const id = need(p, 0, 'endpoint id');
          return b.kind === 'remote'
            ? b.call('DELETE', `/api/webhooks/${enc(id)}`)
            : local(() => b.services.disableWebhook(b.actor, id));
        },
        (r, out) => out.stdout(`${(r as { id: string }).id}: disabled\n`),
      );
    case 'deliveries':
      return withBackend(
        rest,
        io,
        {},
        async (b) =>
          b.kind === 'remote'
            ? b.call('GET', '/api/webhooks/deliveries')
            : { deliveries: await b.services.listDeliveries({ limit: 100 }) },
        printJson,
      );
    default:
      throw new UserInputError(
        'usage: wirereport webhooks add URL [--events a,b] | list | disable ID | deliveries',
      );
  }
}

export { CommandError };
