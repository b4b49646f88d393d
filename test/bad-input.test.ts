import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, PASSWORD, unique } from "./helpers/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Hostile and broken input on the identity writes: every failure is a 4xx
 * problem+json naming what was wrong, nothing is stored, nothing is a 500.
 */

let t: TestApp;
let admin: Client;
let auth: Record<string, string>;
let target: { id: string; email: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  target = await createUser(admin, { kind: "agent", name: "Target" });
  // A raw cookie session: these tests send bodies the Client helper would not.
  const raw = await createUser(admin, { kind: "agent", admin: true, name: "Raw" });
  const res = await t.request({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email: raw.email, password: PASSWORD },
  });
  auth = {
    cookie: `steward_session=${res.cookies.find((c) => c.name === "steward_session")?.value}`,
    "x-csrf-token": res.json().user.csrfToken,
  };
});
afterAll(() => t.close());

interface Endpoint {
  method: "POST" | "PATCH";
  url: string;
  valid(): Record<string, unknown>;
}

const endpoints = (): Endpoint[] => [
  {
    method: "POST",
    url: "/api/v1/users",
    valid: () => ({ email: `${unique("u")}@example.com`, name: "Valid", kind: "agent" }),
  },
  { method: "POST", url: "/api/v1/organizations", valid: () => ({ name: unique("Org") }) },
  { method: "POST", url: "/api/v1/groups", valid: () => ({ name: unique("Group") }) },
  { method: "PATCH", url: `/api/v1/users/${target.id}`, valid: () => ({ version: 1, name: "Patched" }) },
];

function send(
  method: string,
  url: string,
  payload?: string,
  contentType: string | null = "application/json",
): Promise<LightMyRequestResponse> {
  return t.request({
    method: method as "POST",
    url,
    headers: { ...auth, ...(contentType ? { "content-type": contentType } : {}) },
    ...(payload !== undefined ? { payload } : {}),
  });
}

async function count(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.deps.db);
  return Number(rows[0]?.n);
}

/** Everything a failed write must leave as it was. */
async function state() {
  const user = await t.deps.db
    .selectFrom("users")
    .select(["version", "name", "email", "updated_at", "password_hash", "admin", "active"])
    .where("id", "=", target.id)
    .executeTakeFirstOrThrow();
  return {
    users: await count("users"),
    organizations: await count("organizations"),
    groups: await count("groups"),
    audit: await count("audit_log"),
    outbox: await count("outbox"),
    target: { ...user, updated_at: user.updated_at.toISOString() },
  };
}

/** Sends a request that must fail with `status` (naming `field`, when given) and change nothing. */
async function rejects(
  label: string,
  request: () => Promise<LightMyRequestResponse>,
  status: number,
  field?: string,
): Promise<LightMyRequestResponse> {
  const before = await state();
  const res = await request();
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(status);
  expect(res.headers["content-type"], label).toMatch(/^application\/problem\+json/);
  const problem = res.json();
  expect(problem.status, label).toBe(status);
  if (field) expect(problem.errors?.map((e: { field: string }) => e.field) ?? [], label).toContain(field);
  expect(await state(), label).toEqual(before);
  return res;
}

describe("bodies that are not JSON objects", () => {
  it("malformed JSON is a 400", async () => {
    for (const ep of endpoints()) {
      for (const payload of ['{"name":', '{"name": "x",}', "{'name':'x'}", "nul", "{}}"]) {
        await rejects(`${ep.method} ${ep.url} ${payload}`, () => send(ep.method, ep.url, payload), 400);
      }
      for (const payload of ["[]", '"text"', "42", "null"]) {
        await rejects(`${ep.method} ${ep.url} ${payload}`, () => send(ep.method, ep.url, payload), 400, "body");
      }
    }
  });

  it("a body over 1 MiB (and one of 10 MB) is a 413", async () => {
    const justOver = JSON.stringify({ name: "x".repeat(1024 * 1024) });
    const huge = JSON.stringify({ name: "x".repeat(10 * 1024 * 1024) });
    for (const ep of endpoints()) {
      for (const payload of [justOver, huge]) {
        const res = await rejects(`${ep.url} ${payload.length}`, () => send(ep.method, ep.url, payload), 413);
        expect(res.json().detail).toMatch(/too large/i);
      }
    }
  });

  it("anything but application/json is a 415", async () => {
    const types = [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/xml",
      "multipart/form-data; boundary=xyz",
      null,
    ];
    for (const ep of endpoints()) {
      const body = JSON.stringify(ep.valid());
      for (const type of types) {
        await rejects(`${ep.url} as ${type}`, () => send(ep.method, ep.url, body, type), 415);
      }
    }
  });

  it("prototype pollution attempts are a 400 and pollute nothing", async () => {
    for (const ep of endpoints()) {
      const valid = JSON.stringify(ep.valid()).slice(1, -1);
      const payloads = [
        `{"__proto__": {"admin": true}, ${valid}}`,
        `{${valid}, "constructor": {"prototype": {"admin": true}}}`,
        '{"constructor":{"prototype":{}}}',
        `{${valid}, "nested": {"__proto__": {"admin": true}}}`,
      ];
      for (const payload of payloads)
        await rejects(`${ep.url} ${payload}`, () => send(ep.method, ep.url, payload), 400);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe("fields", () => {
  it("unknown fields are a 400 naming body.<field>", async () => {
    for (const ep of endpoints()) {
      const res = await rejects(
        ep.url,
        () => send(ep.method, ep.url, JSON.stringify({ ...ep.valid(), colour: "red", isAdmin: true })),
        400,
      );
      expect(
        res
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(["body.colour", "body.isAdmin"]);
    }
  });

  it("wrong types and missing required fields are a 400 naming the field", async () => {
    const cases: Record<string, [Record<string, unknown>, string][]> = {
      "/api/v1/users": [
        [{ email: 42 }, "body.email"],
        [{ email: "not-an-email" }, "body.email"],
        [{ kind: "robot" }, "body.kind"],
        [{ admin: "yes" }, "body.admin"],
        [{ roleIds: "r" }, "body.roleIds"],
        [{ roleIds: ["not-a-uuid"] }, "body.roleIds.0"],
        [{ organizationId: 5 }, "body.organizationId"],
        [{ password: "short" }, "body.password"],
        [{ name: "x".repeat(201) }, "body.name"],
        [{ email: undefined }, "body.email"],
        [{ name: undefined }, "body.name"],
        [{ kind: undefined }, "body.kind"],
      ],
      "/api/v1/organizations": [
        [{ name: 42 }, "body.name"],
        [{ name: "" }, "body.name"],
        [{ domains: "example.com" }, "body.domains"],
        [{ domains: ["not a domain"] }, "body.domains.0"],
        [{ name: undefined }, "body.name"],
      ],
      "/api/v1/groups": [
        [{ name: ["a"] }, "body.name"],
        [{ description: 5 }, "body.description"],
        [{ memberIds: [1] }, "body.memberIds.0"],
        [{ roleIds: {} }, "body.roleIds"],
        [{ name: undefined }, "body.name"],
      ],
      [`/api/v1/users/${target.id}`]: [
        [{ version: "1" }, "body.version"],
        [{ version: 0 }, "body.version"],
        [{ active: "false" }, "body.active"],
        [{ name: "   " }, "body.name"],
        [{ email: null }, "body.email"],
        [{ organizationId: "nope" }, "body.organizationId"],
      ],
    };
    for (const ep of endpoints()) {
      for (const [change, field] of cases[ep.url] ?? []) {
        const body = JSON.stringify({ ...ep.valid(), ...change });
        await rejects(`${ep.url} ${JSON.stringify(change)}`, () => send(ep.method, ep.url, body), 400, field);
      }
    }
    // A PATCH must say which version it edits.
    await rejects(
      "PATCH without version",
      () => send("PATCH", `/api/v1/users/${target.id}`, '{"name":"x"}'),
      422,
      "body.version",
    );
  });

  it("SQL and HTML in string fields are refused by name or stored verbatim, never executed", async () => {
    const payloads = ["'; drop table users; --", "<script>alert(1)</script>"];
    const victim = await createUser(admin, { kind: "agent" });
    let version = victim.version;
    for (const evil of payloads) {
      // users: e-mail is refused, name is data, password is hashed and works as a password.
      await rejects(
        "user email",
        () => send("POST", "/api/v1/users", JSON.stringify({ email: evil, name: "n", kind: "agent" })),
        400,
        "body.email",
      );
      const email = `${unique("evil")}@example.com`;
      const created = await send(
        "POST",
        "/api/v1/users",
        JSON.stringify({ email, name: evil, kind: "agent", password: evil }),
      );
      expect(created.statusCode, created.body).toBe(201);
      expect((await admin.get(`/api/v1/users/${created.json().id}`)).json().name).toBe(evil);
      const signIn = await t.request({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: evil } });
      expect(signIn.statusCode).toBe(200);
      const found = await admin.get(`/api/v1/users?q=${encodeURIComponent(evil)}`);
      expect(found.statusCode).toBe(200);
      expect(found.json().items.map((u: { id: string }) => u.id)).toContain(created.json().id);

      // organizations: name is data, a domain must look like one.
      await rejects(
        "org domain",
        () => send("POST", "/api/v1/organizations", JSON.stringify({ name: unique("O"), domains: [evil] })),
        400,
        "body.domains.0",
      );
      const org = await send("POST", "/api/v1/organizations", JSON.stringify({ name: evil }));
      expect(org.statusCode, org.body).toBe(201);
      expect((await admin.get(`/api/v1/organizations/${org.json().id}`)).json().name).toBe(evil);

      // groups: name and description are data.
      const group = await send("POST", "/api/v1/groups", JSON.stringify({ name: evil, description: evil }));
      expect(group.statusCode, group.body).toBe(201);
      expect((await admin.get(`/api/v1/groups/${group.json().id}`)).json()).toMatchObject({
        name: evil,
        description: evil,
      });

      // PATCH: e-mail refused (record untouched), name and password are data.
      const url = `/api/v1/users/${victim.id}`;
      await rejects(
        "patch email",
        () => send("PATCH", url, JSON.stringify({ version, email: evil })),
        400,
        "body.email",
      );
      const patched = await send("PATCH", url, JSON.stringify({ version, name: evil, password: evil }));
      expect(patched.statusCode, patched.body).toBe(200);
      version = patched.json().version;
      expect((await admin.get(url)).json().name).toBe(evil);
      const again = await t.request({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: victim.email, password: evil },
      });
      expect(again.statusCode).toBe(200);
    }
    const { rows } = await sql<{ t: string | null }>`select to_regclass('public.users')::text as t`.execute(t.deps.db);
    expect(rows[0]?.t).toBe("users");
    expect(await count("users")).toBeGreaterThan(3);
  });
});

describe("paths and queries", () => {
  it("a malformed id in the path is a 404, as is a well-formed unknown one", async () => {
    const ids = ["not-a-uuid", "1", "123e4567-e89b-12d3-a456", "' or 1=1 --", "00000000-0000-0000-0000-000000000000"];
    for (const id of ids) {
      for (const resource of ["users", "organizations", "groups"]) {
        const url = `/api/v1/${resource}/${encodeURIComponent(id)}`;
        await rejects(`GET ${url}`, () => send("GET", url, undefined, null), 404);
        await rejects(`PATCH ${url}`, () => send("PATCH", url, JSON.stringify({ version: 1, name: "x" })), 404);
      }
    }
  });

  it("invalid query parameters are a 400 naming query.<field>", async () => {
    const cases: [string, string][] = [
      ["limit=0", "query.limit"],
      ["limit=abc", "query.limit"],
      ["limit=201", "query.limit"],
      ["limit=1&limit=2", "query.limit"],
      ["active=maybe", "query.active"],
      ["colour=red", "query.colour"],
      [`q=${"x".repeat(201)}`, "query.q"],
    ];
    for (const resource of ["users", "organizations", "groups"]) {
      for (const [query, field] of cases) {
        const url = `/api/v1/${resource}?${query}`;
        await rejects(`GET ${url}`, () => send("GET", url, undefined, null), 400, field);
      }
    }
    await rejects("kind", () => send("GET", "/api/v1/users?kind=robot", undefined, null), 400, "query.kind");
    await rejects(
      "organizationId",
      () => send("GET", "/api/v1/users?organizationId=nope", undefined, null),
      400,
      "query.organizationId",
    );
  });

  it("a route that takes no query refuses stray parameters", async () => {
    const res = await admin.get("/api/v1/me?debug=1");
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: "query.debug", message: "unknown field" }]);
  });
});
