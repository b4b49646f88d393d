import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Permission } from "../../common/permissions.ts";
import type { Actor, RequestContext } from "../platform/context.ts";

/** Who may call a route: nobody needs to be logged in, anyone logged in, or holders of a capability. */
export type Access = "public" | "authenticated" | Permission;

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller, when authenticated. */
  actor: Actor | null;
  /** The request context; throws 401 on a public route called anonymously. */
  ctx: RequestContext;
  /** The session's CSRF token (cookie sessions only). */
  csrfToken: string | null;
  /** Version from `If-Match: "N"`, when sent. */
  ifMatch: number | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: Method;
  /** Fastify path syntax: `/api/v1/users/:id`. */
  url: string;
  access: Access;
  summary: string;
  tags: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Largest body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * Success status; `schema` strips whatever a response must not carry. 204 has none.
   * `raw`: the handler sends the reply itself (files); `contentType` documents it.
   */
  response: { status: number; schema?: z.ZodType<R>; description?: string; raw?: { contentType: string } };
  handler(input: HandlerInput<P, Q, B>): Promise<R>;
}

// biome-ignore lint/suspicious/noExplicitAny: the table holds routes of every shape.
export type AnyRoute = RouteDef<any, any, any, any>;

/** Declares a route; the types of params, query and body flow from the schemas into the handler. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = void>(
  def: RouteDef<P, Q, B, R>,
): RouteDef<P, Q, B, R> {
  return def;
}
