import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Actor, can, type RequestContext } from "../platform/context.ts";
import { Forbidden, NotFound, Unauthorized } from "../platform/errors.ts";
import { safeEqual } from "../platform/secrets.ts";
import { BadRequest, fieldErrors, UnsupportedMediaType } from "./problem.ts";
import type { AnyRoute } from "./route.ts";

export interface Authenticated {
  actor: Actor;
  /** Set for cookie sessions: writes must echo it in X-CSRF-Token. */
  csrfToken: string | null;
}

export type Authenticate = (request: FastifyRequest) => Promise<Authenticated | null>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function parseIfMatch(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!m) throw new BadRequest([{ field: "headers.if-match", message: 'must be the record version, e.g. "3"' }]);
  return Number(m[1]);
}

/**
 * Mounts the route table. Every request goes through the same steps, in this order:
 * authenticate → CSRF → capability → params → query → body → handler → response schema.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRoute[], authenticate: Authenticate): void {
  for (const route of routes) {
    if (!route.access) throw new Error(`${route.method} ${route.url} declares no access`);
    app.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      handler: async (request, reply) => {
        const auth = await authenticate(request);
        const actor = auth?.actor ?? null;
        if (route.access !== "public") {
          if (!actor) throw new Unauthorized();
          if (auth?.csrfToken && !SAFE_METHODS.has(route.method)) {
            const sent = request.headers["x-csrf-token"];
            if (typeof sent !== "string" || !safeEqual(sent, auth.csrfToken)) {
              throw new Forbidden("Missing or invalid X-CSRF-Token header");
            }
          }
          if (route.access !== "authenticated" && !can(actor, route.access)) throw new Forbidden();
        }

        let params: unknown;
        if (route.params) {
          const parsed = route.params.safeParse(request.params);
          // A malformed id names nothing that exists.
          if (!parsed.success) throw new NotFound();
          params = parsed.data;
        }
        let query: unknown;
        if (!route.query) {
          // A route that takes no query says so: stray parameters are refused like unknown body fields.
          const stray = Object.keys((request.query as Record<string, unknown> | undefined) ?? {});
          if (stray.length)
            throw new BadRequest(stray.map((key) => ({ field: `query.${key}`, message: "unknown field" })));
        } else {
          const parsed = route.query.safeParse(request.query ?? {});
          if (!parsed.success) throw new BadRequest(fieldErrors("query", parsed.error));
          query = parsed.data;
        }
        let body: unknown;
        if (route.body) {
          // Other parsers exist for the routes that take files or agent payloads; a JSON route takes JSON only.
          const type = request.headers["content-type"];
          if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) throw new UnsupportedMediaType();
          if (request.body === undefined || request.body === null) {
            throw new BadRequest([{ field: "body", message: "a JSON body is required" }]);
          }
          const parsed = route.body.safeParse(request.body);
          if (!parsed.success) throw new BadRequest(fieldErrors("body", parsed.error));
          body = parsed.data;
        }
        const ifMatch = parseIfMatch(request.headers["if-match"]);

        let ctx: RequestContext | undefined;
        const input = {
          params,
          query,
          body,
          actor,
          csrfToken: auth?.csrfToken ?? null,
          ifMatch,
          request,
          reply,
          get ctx(): RequestContext {
            if (!actor) throw new Unauthorized();
            ctx ??= {
              actor,
              requestId: String(request.id),
              source: actor.via === "token" ? "api" : "web",
            };
            return ctx;
          },
        };
        const result = await route.handler(input);
        if (route.response.raw) return reply;
        reply.code(route.response.status);
        if (route.response.status === 204 || !route.response.schema) return reply.send();
        const out = route.response.schema.parse(result);
        const version = (out as { version?: unknown })?.version;
        if (typeof version === "number") reply.header("etag", `"${version}"`);
        return reply.send(out);
      },
    });
  }
}
