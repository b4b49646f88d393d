/**
 * The authorization matrix: every route of the table, called by an anonymous
 * caller and by a customer of another organization (cookie session and API
 * token), against the records of organization A. Routes added later are
 * covered automatically: ids come from the path, bodies from the body schema.
 */
import { randomUUID } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PERMISSIONS } from "../common/permissions.ts";
import type { AnyRoute } from "../server/http/route.ts";
import {
  adminClient,
  type Client,
  createOrganization,
  createUser,
  PASSWORD,
  signIn,
  tokenClient,
  unique,
} from "./helpers/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

type Json = Record<string, unknown>;

let t: TestApp;
let admin: Client;
let routes: readonly AnyRoute[];
let foreign: ForeignFixtures;
let customerB: { id: string; email: string; organizationId: string };

/** Records of organization A (and agent-only configuration) that a customer of organization B must never see. */
interface ForeignFixtures {
  /** By collection name as it appears in paths: users, organizations, groups, tokens. */
  ids: Record<"users" | "organizations" | "groups" | "tokens" | "tickets" | "calendars", string[]>;
  /** Every id, e-mail, name and secret of the fixtures, lowercased. */
  needles: string[];
  /** Search terms that match the fixtures, for `?q=` on lists. */
  searchTerms: string[];
}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const isSuccess = (status: number) => status >= 200 && status < 300;

beforeAll(async () => {
  t = await createTestApp();
  routes = t.app.stewardRoutes;
  admin = await adminClient(t);
  const orgA = await createOrganization(admin, unique("Org Alpha"));
  const orgB = await createOrganization(admin, unique("Org Beta"));
  const customerA = await person("customer", orgA.id, unique("Alice Alpha"));
  const agentA = await person("agent", orgA.id, unique("Andy Alpha"));
  const groupName = unique("Group Alpha");
  const group = await admin.post("/api/v1/groups", { name: groupName, memberIds: [agentA.id] });
  if (group.statusCode !== 201) throw new Error(`group: ${group.statusCode} ${group.body}`);
  const tokenName = unique("Token Alpha");
  const tokenA = await (await signIn(t, customerA.email)).post("/api/v1/me/tokens", { name: tokenName });
  if (tokenA.statusCode !== 201) throw new Error(`token: ${tokenA.statusCode} ${tokenA.body}`);
  const ticketTitle = unique("Ticket Alpha");
  const ticketA = await (await signIn(t, customerA.email)).post("/api/v1/tickets", {
    type: "incident",
    title: ticketTitle,
    impact: 2,
    urgency: 2,
  });
  if (ticketA.statusCode !== 201) throw new Error(`ticket: ${ticketA.statusCode} ${ticketA.body}`);
  const calendarName = unique("Calendar Alpha");
  const calendar = await admin.post("/api/v1/calendars", {
    name: calendarName,
    timezone: "Europe/Berlin",
    hours: [{ day: 1, start: "09:00", end: "17:00" }],
  });
  if (calendar.statusCode !== 201) throw new Error(`calendar: ${calendar.statusCode} ${calendar.body}`);
  const users = [customerA, agentA];
  foreign = {
    ids: {
      users: users.map((u) => u.id),
      organizations: [orgA.id],
      groups: [group.json().id],
      tokens: [tokenA.json().id],
      tickets: [ticketA.json().id],
      calendars: [calendar.json().id],
    },
    needles: [
      orgA.id,
      orgA.name,
      ...users.flatMap((u) => [u.id, u.email, u.name]),
      group.json().id,
      groupName,
      tokenA.json().id,
      tokenName,
      tokenA.json().token,
      ticketA.json().id,
      ticketTitle,
      calendar.json().id,
      calendarName,
    ].map((s: string) => s.toLowerCase()),
    searchTerms: [customerA.email, agentA.name, orgA.name, groupName, calendarName],
  };
  const b = await createUser(admin, { kind: "customer", organizationId: orgB.id, name: unique("Bob Beta") });
  customerB = { id: b.id, email: b.email, organizationId: orgB.id };
});
afterAll(() => t.close());

async function person(kind: "agent" | "customer", organizationId: string, name: string) {
  return { ...(await createUser(admin, { kind, organizationId, name })), name };
}

// ---- URLs: each `:param` becomes the id of a foreign record of the matching kind ----

/** `:userId` names its collection; `:id` takes the one before it (`/groups/:id`). */
function collectionOf(param: string, previous: string): string {
  return param.endsWith("Id") ? `${param.slice(0, -2)}s` : previous;
}

/** Every concrete URL for a route: one per combination of candidate foreign records. */
function foreignUrls(url: string): string[] {
  const segments = url.split("/");
  let urls = [""];
  segments.forEach((segment, i) => {
    const prefix = i === 0 ? "" : "/";
    if (!segment.startsWith(":")) {
      urls = urls.map((u) => u + prefix + segment);
      return;
    }
    // Unknown record kinds still must not answer for a random id.
    const byCollection: Record<string, string[] | undefined> = foreign.ids;
    const ids = byCollection[collectionOf(segment.slice(1), segments[i - 1] ?? "")] ?? [randomUUID()];
    urls = urls.flatMap((u) => ids.map((id) => u + prefix + id));
  });
  return urls;
}

// ---- bodies: a minimal valid value derived from the route's body schema ----

/** Bodies the schema alone cannot describe well. Fallback: a sample of the schema, else `{}`. */
const EXAMPLE_BODIES: Record<string, unknown> = {
  "POST /api/v1/auth/login": { email: "nobody@example.com", password: "not the password" },
  "POST /api/v1/tickets/:id/attachments": { filename: "probe.txt", contentBase64: "cHJvYmU=" },
};

function sampleOf(schema: Json): unknown {
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) return sampleOf(options.find((o) => o.type !== "null") ?? options[0] ?? {});
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      const wanted = new Set([...((schema.required as string[]) ?? []), "version"]);
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => wanted.has(name))
          .map(([name, s]) => [name, sampleOf(s)]),
      );
    }
    case "array":
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sampleOf((schema.items ?? {}) as Json));
    case "integer":
    case "number":
      return Number(schema.minimum ?? 1);
    case "boolean":
      return false;
    case "string": {
      if (schema.format === "email") return "matrix-probe@example.com";
      if (schema.format === "uuid") return randomUUID();
      if (schema.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
      const text = "matrix probe value";
      return text.padEnd(Number(schema.minLength ?? 0), "x").slice(0, Number(schema.maxLength ?? Infinity));
    }
    default:
      return {};
  }
}

function bodyFor(route: AnyRoute): unknown {
  if (key(route) in EXAMPLE_BODIES) return EXAMPLE_BODIES[key(route)];
  if (!route.body) return undefined;
  const sample = sampleOf(z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) as Json);
  return route.body.safeParse(sample).success ? sample : {};
}

// ---- callers and checks ----

type Probe = { route: AnyRoute; url: string; body: unknown };

/** For lists: no query, then each filter aimed at the foreign records (`?q=`, `?organizationId=`…). */
function foreignQueries(route: AnyRoute): string[] {
  if (route.method !== "GET" || !route.query) return [""];
  const schema = z.toJSONSchema(route.query, { io: "input", unrepresentable: "any" }) as Json;
  const byCollection: Record<string, string[] | undefined> = foreign.ids;
  return [
    "",
    ...Object.keys((schema.properties ?? {}) as Json).flatMap((name) => {
      const values = name === "q" ? foreign.searchTerms : (byCollection[collectionOf(name, "")] ?? []);
      return values.map((v) => `?${name}=${encodeURIComponent(v)}`);
    }),
  ];
}

function probes(): Probe[] {
  // A server-sent event stream stays open; its access is tested with a real connection in its module's tests.
  return routes
    .filter((route) => route.response.raw?.contentType !== "text/event-stream")
    .flatMap((route) =>
      foreignUrls(route.url).flatMap((url) =>
        foreignQueries(route).map((query) => ({ route, url: url + query, body: bodyFor(route) })),
      ),
    );
}

function call(headers: Record<string, string>, probe: Probe): Promise<LightMyRequestResponse> {
  const hasBody = probe.body !== undefined;
  return t.request({
    method: probe.route.method,
    url: probe.url,
    headers: { ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
    ...(hasBody ? { payload: JSON.stringify(probe.body) } : {}),
  });
}

/** Foreign ids, e-mails or names in a body; the problem's `instance` (the caller's own URL) is not a leak. */
function leaks(res: LightMyRequestResponse, url: string): string[] {
  let text = res.body;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && parsed.instance === url.split("?")[0]) delete parsed.instance;
    text = JSON.stringify(parsed);
  } catch {
    // not JSON: scan it as it is
  }
  const lower = text.toLowerCase();
  return foreign.needles.filter((n) => lower.includes(n));
}

function isProblem(res: LightMyRequestResponse): boolean {
  return String(res.headers["content-type"]).startsWith("application/problem+json");
}

/** Headers of a signed-in caller; renewed when a route ended the session or revoked the token. */
type Caller = () => Promise<Record<string, string>>;

async function isAlive(headers: Record<string, string>): Promise<boolean> {
  return (await t.request({ method: "GET", url: "/api/v1/me", headers })).statusCode === 200;
}

async function sessionHeaders(email: string): Promise<Record<string, string>> {
  const res = await t.request({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "steward_session")?.value;
  return { cookie: `steward_session=${cookie}`, "x-csrf-token": res.json().user.csrfToken };
}

async function newTokenOfB(): Promise<string> {
  const res = await (await signIn(t, customerB.email)).post("/api/v1/me/tokens", { name: unique("matrix") });
  if (res.statusCode !== 201) throw new Error(`token of B: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

function renewing(make: () => Promise<Record<string, string>>): Caller {
  let headers: Record<string, string> | null = null;
  return async () => {
    if (!headers || !(await isAlive(headers))) headers = await make();
    return headers;
  };
}

const sessionOfB = () => renewing(() => sessionHeaders(customerB.email));
const tokenOfB = () => renewing(async () => ({ authorization: `Bearer ${await newTokenOfB()}` }));

/** Creates a customer legitimately makes for themselves (the record is theirs; the leak scan still applies). */
const SELF_SERVICE_CREATES = new Set(["POST /api/v1/tickets", "POST /api/v1/views"]);

/** Routes a customer may call successfully without a record id: the caller's own data and filtered lists. */
function mayCustomerSucceed(route: AnyRoute): boolean {
  if (route.url.includes("/:")) return false;
  if (SELF_SERVICE_CREATES.has(key(route))) return true;
  return route.access === "public" || route.access === "authenticated" || route.method === "GET";
}

/** Runs every probe as the caller; returns one line per violation. */
async function violationsOf(caller: Caller): Promise<string[]> {
  const out: string[] = [];
  for (const probe of probes()) {
    const res = await call(await caller(), probe);
    const where = `${probe.route.method} ${probe.url} → ${res.statusCode}`;
    const allowed = isSuccess(res.statusCode)
      ? mayCustomerSucceed(probe.route)
      : [401, 403, 404].includes(res.statusCode);
    if (!allowed) out.push(`${where}: status not allowed (${res.body.slice(0, 160)})`);
    if (!isSuccess(res.statusCode) && !isProblem(res)) out.push(`${where}: not problem+json`);
    const leaked = leaks(res, probe.url);
    if (leaked.length) out.push(`${where}: leaks ${leaked.join(", ")}`);
  }
  return out;
}

describe("the route table", () => {
  it("is non-empty and holds the identity routes", () => {
    const keys = routes.map(key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "POST /api/v1/auth/login",
        "GET /api/v1/me",
        "DELETE /api/v1/me/tokens/:id",
        "GET /api/v1/users",
        "GET /api/v1/users/:id",
        "PATCH /api/v1/users/:id",
        "GET /api/v1/organizations/:id",
        "PATCH /api/v1/groups/:id",
        "GET /api/v1/audit",
      ]),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("every route declares public, authenticated or a known permission", () => {
    const valid = new Set<string>(["public", "authenticated", ...PERMISSIONS]);
    const undeclared = routes.filter((r) => !valid.has(r.access as string)).map((r) => `${key(r)}: ${r.access}`);
    expect(undeclared).toEqual([]);
  });

  it("every route of the table is mounted, and nothing under /api/v1 is mounted outside it", () => {
    const mounted = mountedRoutes(t.app.printRoutes({ commonPrefix: false }));
    expect(routes.filter((r) => !mounted.has(key(r))).map(key)).toEqual([]);
    const table = new Set(routes.map(key));
    const outside = [...mounted].filter((k) => /^\w+ \/api\/v1\//.test(k) && !k.startsWith("HEAD ") && !table.has(k));
    expect(outside).toEqual(["GET /api/v1/openapi.json"]);
  });

  it("the matrix reaches every route and every kind of foreign record", () => {
    const all = probes();
    const streams = routes.filter((r) => r.response.raw?.contentType === "text/event-stream").map(key);
    expect(streams).toEqual(["GET /api/v1/me/notifications/stream"]);
    expect(new Set(all.map((p) => key(p.route)))).toEqual(new Set(routes.map(key).filter((k) => !streams.includes(k))));
    for (const ids of Object.values(foreign.ids)) {
      for (const id of ids) expect(all.some((p) => p.url.includes(id))).toBe(true);
    }
  });

  it("the leak detector sees the fixtures where they are readable", async () => {
    const res = await admin.get(`/api/v1/users/${foreign.ids.users[0]}`);
    expect(res.statusCode).toBe(200);
    expect(leaks(res, "/elsewhere").length).toBeGreaterThanOrEqual(3);
  });
});

/** Routes and methods from Fastify's printed route tree (`├── /api/v1/users (GET, HEAD, POST)`). */
function mountedRoutes(tree: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? "").length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? "") + (m[2] ?? "");
    stack.push(path);
    for (const method of (m[3] ?? "").split(", ").filter(Boolean)) out.add(`${method} ${path}`);
  }
  return out;
}

describe("anonymous callers", () => {
  it("get 401 problem+json from every non-public route, and public routes leak nothing", async () => {
    const out: string[] = [];
    for (const probe of probes()) {
      const res = await call({}, probe);
      const where = `${probe.route.method} ${probe.url} → ${res.statusCode}`;
      if (probe.route.access === "public") {
        if (res.statusCode >= 500) out.push(`${where}: server error`);
      } else if (res.statusCode !== 401 || !isProblem(res) || res.json().status !== 401) {
        out.push(`${where}: expected 401 problem+json`);
      }
      const leaked = leaks(res, probe.url);
      if (leaked.length) out.push(`${where}: leaks ${leaked.join(", ")}`);
    }
    expect(out.join("\n")).toBe("");
  });
});

describe("a customer of organization B against organization A", () => {
  it.each([
    ["a cookie session", sessionOfB],
    ["an API token", tokenOfB],
  ])(
    "with %s: only 401/403/404 on foreign records, and no foreign id, e-mail or name in any body",
    async (_label, make) => {
      expect((await violationsOf(make())).join("\n")).toBe("");
    },
  );
});

// ---- lists and single reads agree ----

async function listAll(client: Client, url: string): Promise<{ status: number; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(`${url}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (res.statusCode !== 200) return { status: res.statusCode, ids: [] };
    const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
  } while (cursor);
  return { status: 200, ids };
}

/** GET list routes that have a GET single-read route at `<list>/:id`. */
function listReadPairs(): { list: string; read: AnyRoute }[] {
  return routes
    .filter((r) => r.method === "GET" && !r.url.includes(":"))
    .flatMap((list) => {
      const read = routes.find((r) => r.method === "GET" && r.url === `${list.url}/:id`);
      return read ? [{ list: list.url, read }] : [];
    });
}

describe("lists and single reads agree", () => {
  it("for customers (own organization, none, API token) and an agent, on every list with a single read", async () => {
    const pairs = listReadPairs();
    expect(pairs.map((p) => p.list)).toEqual(expect.arrayContaining(["/api/v1/users", "/api/v1/organizations"]));
    const orgless = await createUser(admin, { kind: "customer" });
    const agent = await createUser(admin, { kind: "agent" });
    const callers: [string, Client][] = [
      ["customer B", await signIn(t, customerB.email)],
      ["customer B token", tokenClient(t, await newTokenOfB(), customerB.id)],
      ["customer without organization", await signIn(t, orgless.email)],
      ["agent", await signIn(t, agent.email)],
    ];
    const seen: Record<string, Record<string, string[]>> = {};
    for (const { list, read } of pairs) {
      const universe = await listAll(admin, list);
      expect(universe.status).toBe(200);
      for (const [label, client] of callers) {
        const listed = await listAll(client, list);
        expect([200, 403], `${label} GET ${list}`).toContain(listed.status);
        const readable: string[] = [];
        for (const id of universe.ids) {
          const res = await client.get(read.url.replace(":id", id));
          if (res.statusCode === 200) readable.push(id);
          // A list the caller may use hides the rest as "does not exist".
          else
            expect(listed.status === 200 ? [404] : [403, 404], `${label} GET ${list}/${id}`).toContain(res.statusCode);
        }
        expect(readable.sort(), `${label}: ${list} vs single reads`).toEqual([...listed.ids].sort());
        seen[label] = { ...seen[label], [list]: listed.ids };
      }
    }
    // Not vacuous: the universe holds the foreign records, and customers see their own.
    const allUsers = (await listAll(admin, "/api/v1/users")).ids;
    expect(allUsers).toEqual(expect.arrayContaining([...foreign.ids.users, customerB.id]));
    expect(seen["customer B"]?.["/api/v1/users"]).toEqual([customerB.id]);
    expect(seen["customer B token"]?.["/api/v1/organizations"]).toEqual([customerB.organizationId]);
    expect(seen["customer without organization"]?.["/api/v1/organizations"]).toEqual([]);
    expect(seen.agent?.["/api/v1/users"]).toEqual(expect.arrayContaining(foreign.ids.users));
  });
});
