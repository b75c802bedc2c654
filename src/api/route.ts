import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ZodType, z } from 'zod';
import type { Permission, Principal } from './auth.ts';

/**
 * Routes declared with zod schemas. The schemas are the single source of
 * truth: they validate every request part (through the validator compiler
 * below, never Ajv) and are converted to JSON Schema for the OpenAPI
 * document served at /docs.
 */

const zodOf = new WeakMap<object, { schema: ZodType; part: string }>();

/** JSON Schema of a zod schema (request side), remembered so the validator finds the zod schema again. */
export function toJsonSchema(schema: ZodType, part: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });
  zodOf.set(json, { schema, part });
  return json;
}

/** JSON Schema of a response (output side), for documentation only. */
export function responseSchema(schema: ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'openapi-3.0' });
}

const PART_NAMES: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'path',
  headers: 'header',
};

/** Fastify validator compiler: validates with the zod schema behind a JSON schema; errors name the field. */
export function zodValidatorCompiler({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  const entry = zodOf.get(schema as object);
  if (!entry) throw new Error(`route schema for ${httpPart ?? 'request'} was not made with toJsonSchema`);
  const prefix = PART_NAMES[httpPart ?? ''] ?? httpPart ?? 'request';
  return (data: unknown) => {
    const input = data === null && httpPart === 'body' ? {} : data;
    const parsed = entry.schema.safeParse(input);
    if (parsed.success) return { value: parsed.data };
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    return { error: new Error(`${prefix}${path ? `.${path}` : ''}: ${issue.message}`) };
  };
}

export interface RouteContext<Q, B, P> {
  query: Q;
  body: B;
  params: P;
  principal: Principal | null;
  req: FastifyRequest;
  reply: FastifyReply;
}

type Out<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteDef<
  Q extends ZodType | undefined,
  B extends ZodType | undefined,
  P extends ZodType | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  permission: Permission;
  summary: string;
  tags: string[];
  query?: Q;
  body?: B;
  params?: P;
  /** The 200 (or `status`) response, for the documentation. */
  response?: ZodType;
  /** Success status. Default: 200. */
  status?: number;
  /** Rate limiting. Default: on. */
  rateLimit?: boolean;
  /** The reply holds a secret shown once; idempotent replays withhold it. Default: false. */
  sensitive?: boolean;
  handler: (ctx: RouteContext<Out<Q>, Out<B>, Out<P>>) => Promise<unknown>;
}

/** Declares one route. */
export function route<
  Q extends ZodType | undefined = undefined,
  B extends ZodType | undefined = undefined,
  P extends ZodType | undefined = undefined,
>(app: FastifyInstance, def: RouteDef<Q, B, P>): void {
  const status = def.status ?? 200;
  app.route({
    method: def.method,
    url: def.url,
    config: {
      permission: def.permission,
      ...(def.rateLimit === false ? { rateLimit: false } : {}),
      ...(def.sensitive ? { sensitive: true } : {}),
    },
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.query ? { querystring: toJsonSchema(def.query, 'querystring') } : {}),
      ...(def.body ? { body: toJsonSchema(def.body, 'body') } : {}),
      ...(def.params ? { params: toJsonSchema(def.params, 'params') } : {}),
      ...(def.response ? { response: { [status]: responseSchema(def.response) } } : {}),
      ...(def.permission === 'public' ? {} : { security: [{ bearer: [] }, { session: [] }] }),
    },
    handler: async (req, reply) => {
      const result = await def.handler({
        query: req.query as Out<Q>,
        body: req.body as Out<B>,
        params: req.params as Out<P>,
        principal: req.principal,
        req,
        reply,
      });
      if (reply.sent) return reply;
      return reply.code(status).send(result);
    },
  });
}
