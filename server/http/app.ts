import { randomUUID } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyMultipart from "@fastify/multipart";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { Deps } from "../platform/deps.ts";
import { NotFound } from "../platform/errors.ts";
import { metrics } from "./metrics.ts";
import { buildOpenApi } from "./openapi.ts";
import { problemFor, retryAfter, sendProblem } from "./problem.ts";
import { type Authenticate, registerRoutes } from "./register.ts";
import type { AnyRoute } from "./route.ts";
import { securityHeaders } from "./security.ts";
import { serveWeb } from "./web.ts";

export interface AppOptions {
  routes: readonly AnyRoute[];
  authenticate: Authenticate;
  version: string;
  /** Off in API tests. */
  logger?: boolean;
  web?: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    stewardRoutes: readonly AnyRoute[];
  }
}

export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
            serializers: {
              // Calendar feeds carry their secret in the address: it never reaches the logs.
              req: (req: { method: string; url: string; id: string }) => ({
                method: req.method,
                url: req.url.replace(/([?&]token=)[^&]*/g, "$1[redacted]"),
                id: req.id,
              }),
            },
          },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.trustProxy,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorate("stewardRoutes", options.routes);
  // The API takes JSON only; text/plain (a form can send it cross-site without a preflight) is a 415 like any other.
  app.removeContentTypeParser("text/plain");

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  securityHeaders(app);
  // Inventory agents send compressed or XML bodies; they reach their route as bytes (JSON routes refuse them with 415).
  app.addContentTypeParser(
    [
      "application/x-compress-zlib",
      "application/x-compress",
      "application/x-compressed",
      "application/x-compress-gzip",
      "application/xml",
      "text/xml",
      "application/octet-stream",
    ],
    { parseAs: "buffer" },
    (_request, body, done) => done(null, body),
  );
  await app.register(fastifyCookie);
  // Multipart only where a route reads it (imports); one file, bounded.
  await app.register(fastifyMultipart, {
    limits: { files: 1, fields: 20, fieldSize: 100_000, fileSize: 20 * 1024 * 1024 },
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = problemFor(error);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    const after = retryAfter(error);
    if (after) reply.header("retry-after", String(after));
    return sendProblem(request, reply, problem);
  });

  // ---- health, metrics ----
  app.get("/healthz", { config: { access: "public" } }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { access: "public" } }, async (_request, reply) => {
    try {
      await sql`select 1 from steward_migrations limit 1`.execute(deps.db);
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "not ready" });
    }
  });
  const registry = metrics(app);
  app.get("/metrics", { config: { access: "public" } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

  // ---- API ----
  registerRoutes(app, options.routes, options.authenticate);
  const openapi = buildOpenApi(options.routes, { version: options.version });
  app.get("/api/v1/openapi.json", { config: { access: "public" } }, async () => openapi);
  await app.register(fastifySwagger, { mode: "static", specification: { document: openapi as never } });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/api/docs",
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ""),
    uiConfig: { deepLinking: true, docExpansion: "list" },
  });

  // ---- web app ----
  const hasWeb = options.web !== false && (await serveWeb(app, deps.config.webDir));
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === "GET" && !request.url.startsWith("/api/") && app.renderIndex;
    if (isPage && app.renderIndex) {
      const page = app.renderIndex();
      return reply
        .code(200)
        .header("content-security-policy", page.csp)
        .header("cache-control", "no-cache")
        .type("text/html; charset=utf-8")
        .send(page.html);
    }
    if (!hasWeb && request.method === "GET" && !request.url.startsWith("/api/")) {
      return reply
        .code(404)
        .type("text/plain; charset=utf-8")
        .send("The web app is not built. Run `npm run build:web` (npm start does it for you).\n");
    }
    return sendProblem(request, reply, problemFor(new NotFound(`${request.method} ${request.url.split("?")[0]}`)));
  });

  return app;
}
