import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  type Client,
  createUser,
  PASSWORD,
  tokenClient,
  unique,
  userClient,
} from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
});
afterAll(() => t.close());

const login = (email: string, password: string) =>
  t.request({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });

/** Signs in and returns the raw cookie and CSRF token, to build requests by hand. */
async function session(email: string): Promise<{ cookie: string; csrf: string; userId: string }> {
  const res = await login(email, PASSWORD);
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === "steward_session")?.value as string;
  return { cookie: `steward_session=${cookie}`, csrf: res.json().user.csrfToken, userId: res.json().user.id };
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown> }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers["content-type"])).toContain("application/problem+json");
}

async function userVersion(id: string): Promise<number> {
  const row = await t.deps.db.selectFrom("users").select("version").where("id", "=", id).executeTakeFirstOrThrow();
  return row.version;
}

async function usersWithEmail(email: string): Promise<number> {
  const rows = await t.deps.db.selectFrom("users").select("id").where("email", "=", email).execute();
  return rows.length;
}

async function createToken(client: Client, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/me/tokens", { name: unique("token"), ...body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; token: string; prefix: string };
}

describe("sessions", () => {
  it("sets an HttpOnly SameSite=Lax session cookie and a readable CSRF cookie", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const res = await login(user.email, PASSWORD);
    expect(res.statusCode).toBe(200);
    const sessionCookie = res.cookies.find((c) => c.name === "steward_session");
    const csrfCookie = res.cookies.find((c) => c.name === "steward_csrf");
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(sessionCookie?.value.length).toBeGreaterThanOrEqual(32);
    expect(csrfCookie?.httpOnly).not.toBe(true);
    expect(csrfCookie?.sameSite).toBe("Lax");
    expect(csrfCookie?.value).toBe(res.json().user.csrfToken);
    expect(res.json().user).toMatchObject({ id: user.id, email: user.email });
    // The session id is stored hashed, never as the cookie value.
    const stored = await t.deps.db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
    expect(stored.map((s) => s.id)).not.toContain(sessionCookie?.value);
  });

  it("answers a wrong password and an unknown e-mail with the same 401", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const wrong = await login(user.email, "not the password at all");
    const unknown = await login(`${unique("nobody")}@example.com`, PASSWORD);
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(wrong.json().detail).toBe("Invalid e-mail or password");
    expect(unknown.json().detail).toBe(wrong.json().detail);
    expect(unknown.json().title).toBe(wrong.json().title);
    expect(wrong.cookies.find((c) => c.name === "steward_session")).toBeUndefined();
  });

  it("throttles an account after 5 failures, even with the right password, until the window passes", async () => {
    const user = await createUser(admin, { kind: "agent" });
    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong password ${i}`)).statusCode).toBe(401);
    const blocked = await login(user.email, PASSWORD);
    expectProblem(blocked, 429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(blocked.cookies.find((c) => c.name === "steward_session")).toBeUndefined();
    // Another account from the same address is not affected.
    const other = await createUser(admin, { kind: "agent" });
    expect((await login(other.email, PASSWORD)).statusCode).toBe(200);
    t.clock.advance(14 * 60_000);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(429);
    t.clock.advance(2 * 60_000);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it("a successful sign-in clears the account's failures", async () => {
    const user = await createUser(admin, { kind: "agent" });
    for (let i = 0; i < 4; i++) expect((await login(user.email, "wrong password")).statusCode).toBe(401);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
    // Had the first four been kept, the fifth failure would lock the account.
    for (let i = 0; i < 4; i++) expect((await login(user.email, "wrong password")).statusCode).toBe(401);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
    const left = await t.deps.db.selectFrom("login_failures").select("id").where("email", "=", user.email).execute();
    expect(left).toHaveLength(0);
  });

  it("logout ends the session", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const s = await session(user.email);
    expect((await t.request({ method: "GET", url: "/api/v1/me", headers: { cookie: s.cookie } })).statusCode).toBe(200);
    // Logout is a write: it needs the CSRF token too.
    const forged = await t.request({ method: "POST", url: "/api/v1/auth/logout", headers: { cookie: s.cookie } });
    expectProblem(forged, 403);
    const res = await t.request({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === "steward_session");
    expect(cleared?.value).toBe("");
    const after = await t.request({ method: "GET", url: "/api/v1/me", headers: { cookie: s.cookie } });
    expectProblem(after, 401);
    const left = await t.deps.db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
    expect(left).toHaveLength(0);
  });
});

describe("CSRF", () => {
  let s: { cookie: string; csrf: string; userId: string };
  let otherCsrf: string;
  beforeAll(async () => {
    const manager = await createUser(admin, { kind: "agent", admin: true });
    s = await session(manager.email);
    otherCsrf = (await session(manager.email)).csrf; // a real token, but of another session
  });

  const variants = () => [
    { name: "without X-CSRF-Token", headers: { cookie: s.cookie } },
    { name: "with another session's token", headers: { cookie: s.cookie, "x-csrf-token": otherCsrf } },
    { name: "with a made-up token", headers: { cookie: s.cookie, "x-csrf-token": "x".repeat(43) } },
  ];

  it("refuses a cookie-authenticated POST without the right token and creates nothing", async () => {
    for (const v of variants()) {
      const email = `${unique("csrf")}@example.com`;
      const res = await t.request({
        method: "POST",
        url: "/api/v1/users",
        headers: { ...v.headers, "content-type": "application/json" },
        payload: JSON.stringify({ email, name: "Forged", kind: "agent" }),
      });
      expectProblem(res, 403);
      expect(res.json().detail, v.name).toMatch(/CSRF/);
      expect(await usersWithEmail(email), v.name).toBe(0);
    }
  });

  it("refuses a cookie-authenticated PATCH without the right token and changes nothing", async () => {
    const target = await createUser(admin, { kind: "agent", name: "Unchanged" });
    for (const v of variants()) {
      const res = await t.request({
        method: "PATCH",
        url: `/api/v1/users/${target.id}`,
        headers: { ...v.headers, "content-type": "application/json" },
        payload: JSON.stringify({ version: 1, name: "Forged" }),
      });
      expectProblem(res, 403);
    }
    expect(await userVersion(target.id)).toBe(1);
    expect((await admin.get(`/api/v1/users/${target.id}`)).json().name).toBe("Unchanged");
    // The same request with the session's own token goes through.
    const ok = await t.request({
      method: "PATCH",
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json" },
      payload: JSON.stringify({ version: 1, name: "Edited" }),
    });
    expect(ok.statusCode).toBe(200);
  });

  it("a token-authenticated write needs no CSRF header", async () => {
    const { token } = await createToken(admin, {});
    const email = `${unique("via-token")}@example.com`;
    const res = await tokenClient(t, token, admin.userId).post("/api/v1/users", { email, name: "T", kind: "agent" });
    expect(res.statusCode).toBe(201);
    expect(await usersWithEmail(email)).toBe(1);
  });
});

describe("API tokens", () => {
  it("shows the token once, lists it without the secret, and stores only its sha-256", async () => {
    const res = await admin.post("/api/v1/me/tokens", { name: "CI" });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.token).toMatch(/^stw_[0-9a-f]{8}_[0-9a-f]{64}$/);
    expect(created.token.startsWith(`stw_${created.prefix}_`)).toBe(true);

    const list = await admin.get("/api/v1/me/tokens");
    expect(list.statusCode).toBe(200);
    const listed = list.json().items.find((i: { id: string }) => i.id === created.id);
    expect(listed).toMatchObject({ name: "CI", prefix: created.prefix, revokedAt: null });
    expect(listed).not.toHaveProperty("token");
    expect(list.body).not.toContain(created.token);
    expect(list.body).not.toContain(created.token.split("_").at(-1));

    const row = await t.deps.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toBe(created.token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.token.split("_").at(-1));

    const me = await tokenClient(t, created.token, admin.userId).get("/api/v1/me");
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: admin.userId, csrfToken: null });
  });

  it("a scoped token can do what its scopes allow and nothing more", async () => {
    const { token } = await createToken(admin, { scopes: ["user.read"] });
    const client = tokenClient(t, token, admin.userId);
    expect((await client.get("/api/v1/users")).statusCode).toBe(200);
    const email = `${unique("scoped")}@example.com`;
    const res = await client.post("/api/v1/users", { email, name: "S", kind: "agent" });
    expectProblem(res, 403);
    expect(await usersWithEmail(email)).toBe(0);
    expect((await client.get("/api/v1/organizations")).statusCode).toBe(403);
    expect((await client.get("/api/v1/me")).json().permissions).toEqual(["user.read"]);
  });

  it("an expired token is refused with a clear detail", async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    const { token } = await createToken(admin, { expiresAt });
    const client = tokenClient(t, token, admin.userId);
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    const res = await client.get("/api/v1/me");
    expectProblem(res, 401);
    expect(res.json().detail).toMatch(/expired/i);
    // Expiry in the past is refused at creation.
    const past = await admin.post("/api/v1/me/tokens", { name: "old", expiresAt: "2000-01-01T00:00:00Z" });
    expectProblem(past, 422);
    expect(past.json().errors.map((e: { field: string }) => e.field)).toContain("body.expiresAt");
  });

  it("a revoked token is refused", async () => {
    const { id, token } = await createToken(admin, {});
    const client = tokenClient(t, token, admin.userId);
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/me/tokens/${id}`)).statusCode).toBe(204);
    const res = await client.get("/api/v1/me");
    expectProblem(res, 401);
    expect(res.json().detail).toMatch(/revoked/i);
    const listed = (await admin.get("/api/v1/me/tokens")).json().items.find((i: { id: string }) => i.id === id);
    expect(listed.revokedAt).not.toBeNull();
  });

  it("a malformed or unknown bearer is a 401, never anonymous or the cookie's user", async () => {
    const s = await session((await createUser(admin, { kind: "agent" })).email);
    const cases = ["nonsense", "", "stw_short_x", `stw_abcdefgh_${"A".repeat(43)}`];
    for (const bearer of cases) {
      const res = await t.request({
        method: "GET",
        url: "/api/v1/me",
        headers: { authorization: `Bearer ${bearer}`, cookie: s.cookie },
      });
      expectProblem(res, 401);
      expect(res.json().detail, bearer).toMatch(/malformed|invalid/i);
    }
  });

  it("refuses scopes you do not hold with 422 naming body.scopes", async () => {
    const agent = await userClient(admin, t, { kind: "agent" });
    const res = await agent.post("/api/v1/me/tokens", { name: "greedy", scopes: ["user.read", "user.create"] });
    expectProblem(res, 422);
    expect(res.json().errors).toEqual([{ field: "body.scopes", message: expect.stringContaining("user.create") }]);
    expect((await agent.get("/api/v1/me/tokens")).json().items).toEqual([]);
    // Scopes they do hold are fine.
    expect((await agent.post("/api/v1/me/tokens", { name: "ok", scopes: ["user.read"] })).statusCode).toBe(201);
  });

  it("revoking someone else's token is a 404 and leaves it working", async () => {
    const { id, token } = await createToken(admin, {});
    const agent = await userClient(admin, t, { kind: "agent" });
    const res = await agent.delete(`/api/v1/me/tokens/${id}`);
    expectProblem(res, 404);
    const row = await t.deps.db
      .selectFrom("api_tokens")
      .select("revoked_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
    expect((await tokenClient(t, token, admin.userId).get("/api/v1/me")).statusCode).toBe(200);
    const { rows } = await sql<{ n: string }>`select count(*) as n from audit_log where entity_id = ${id}
      and action = 'api_token.revoked'`.execute(t.deps.db);
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
