/**
 * The public surface of the HTTP app: the OpenAPI document matches the route
 * table, docs, health, readiness and metrics answer, and every API response
 * carries the security headers and the request id.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client } from "./helpers/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
});
afterAll(() => t.close());

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  "x-steward-permission"?: string;
  security?: unknown[];
  responses?: Record<string, unknown>;
}

const get = (url: string, headers: Record<string, string> = {}) => t.request({ method: "GET", url, headers });

/** `METHOD /path/{id}` → operation, for every operation of the document. */
function operationsOf(doc: { paths: Record<string, Record<string, Operation>> }): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (HTTP_METHODS.has(method)) out.set(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return out;
}

function expectProblem(res: LightMyRequestResponse, status: number): void {
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
}

describe("OpenAPI", () => {
  it("is OpenAPI 3.1 with exactly one operation per route of the table, each naming its permission", async () => {
    const res = await get("/api/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });

    const routes = t.app.stewardRoutes;
    expect(routes.length).toBeGreaterThan(0);
    const expected = new Map(routes.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, "{$1}")}`, r.access]));
    expect(expected.size).toBe(routes.length);
    const operations = operationsOf(doc);
    expect([...operations.keys()].sort()).toEqual([...expected.keys()].sort());
    const wrong = [...operations].filter(([k, op]) => op["x-steward-permission"] !== expected.get(k)).map(([k]) => k);
    expect(wrong).toEqual([]);
  });

  it("gives every operation a unique operationId and documents each path parameter", async () => {
    const operations = operationsOf((await get("/api/v1/openapi.json")).json());
    const ids = [...operations.values()].map((op) => op.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [k, op] of operations) {
      const inPath = [...k.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const documented = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      expect(documented, k).toEqual(inPath);
    }
  });

  it("documents authentication where a route needs it, and none where it is public", async () => {
    const operations = operationsOf((await get("/api/v1/openapi.json")).json());
    const publicOps = [...operations.values()].filter((op) => op["x-steward-permission"] === "public");
    const guardedOps = [...operations.values()].filter((op) => op["x-steward-permission"] !== "public");
    expect(publicOps.length).toBeGreaterThan(0);
    expect(guardedOps.length).toBeGreaterThan(0);
    for (const op of publicOps) expect(op.security).toEqual([]);
    for (const op of guardedOps) {
      expect(op.security).toEqual([{ session: [] }, { bearer: [] }]);
      expect(Object.keys(op.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });

  it("the docs page serves HTML", async () => {
    const res = await get("/api/docs");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe("operations endpoints", () => {
  it("/healthz answers ok", async () => {
    const res = await get("/healthz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it('/readyz answers {"status":"ready"} once the database is migrated', async () => {
    const res = await get("/readyz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready" });
  });

  it("/metrics is Prometheus text with the request histogram, labelled by route pattern, not raw URL", async () => {
    const id = "0b6a3c1e-0000-4000-8000-000000000abc";
    expect((await get("/healthz")).statusCode).toBe(200);
    expect((await get(`/api/v1/users/${id}`)).statusCode).toBe(401);
    const res = await get("/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain("# TYPE steward_http_request_duration_seconds histogram");
    const counts = res.body.split("\n").filter((l) => l.startsWith("steward_http_request_duration_seconds_count{"));
    expect(counts.some((l) => l.includes('route="/healthz"') && l.includes('status="200"'))).toBe(true);
    expect(counts.some((l) => l.includes('route="/api/v1/users/:id"') && l.includes('status="401"'))).toBe(true);
    expect(res.body).not.toContain(id);
  });
});

describe("headers on API responses", () => {
  const cases: [string, () => Promise<LightMyRequestResponse>][] = [
    ["an authenticated 200", () => admin.get("/api/v1/me")],
    ["an anonymous 401", () => get("/api/v1/me")],
    ["the OpenAPI document", () => get("/api/v1/openapi.json")],
  ];

  it.each(cases)("%s carries a strict CSP and the security headers", async (_label, send) => {
    const res = await send();
    expect(res.statusCode).toBeLessThan(500);
    const csp = String(res.headers["content-security-policy"] ?? "");
    expect(csp).toMatch(/default-src/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(res.headers["x-frame-options"])).toMatch(/^(DENY|SAMEORIGIN)$/i);
    expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(
      res.headers["referrer-policy"],
    );
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("echoes a well-formed X-Request-Id in the header and in problem bodies", async () => {
    const res = await get("/api/v1/me", { "x-request-id": "req-surface.1_A" });
    expect(res.headers["x-request-id"]).toBe("req-surface.1_A");
    expectProblem(res, 401);
    expect(res.json().requestId).toBe("req-surface.1_A");
  });

  it("replaces a missing or malformed X-Request-Id with a fresh uuid per request", async () => {
    const a = await get("/healthz");
    const b = await get("/healthz");
    expect(a.headers["x-request-id"]).toMatch(UUID);
    expect(b.headers["x-request-id"]).toMatch(UUID);
    expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);
    const bad = await get("/healthz", { "x-request-id": "<script>alert(1)</script>" });
    expect(bad.headers["x-request-id"]).toMatch(UUID);
    const long = await get("/healthz", { "x-request-id": "a".repeat(101) });
    expect(long.headers["x-request-id"]).toMatch(UUID);
  });
});

describe("unknown API paths", () => {
  it.each([
    ["GET", "/api/v1/no-such-thing"],
    ["POST", "/api/v1/no-such-thing"],
    ["GET", "/api/v2/users"],
    ["DELETE", "/api/v1/users"],
  ])("%s %s → 404 problem+json naming the path", async (method, url) => {
    const res = await t.request({ method: method as "GET", url, headers: { "x-request-id": "req-404" } });
    expectProblem(res, 404);
    expect(res.json()).toMatchObject({ instance: url, requestId: "req-404" });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });
});
