import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  type Client,
  createOrganization,
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

const REDACTED = ["[redacted]", "[redacted]"];

function auditOf(entityType: string, entityId: string) {
  return t.deps.db
    .selectFrom("audit_log")
    .selectAll()
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .orderBy("id")
    .execute();
}

async function byRequest(requestId: string) {
  const audit = await t.deps.db.selectFrom("audit_log").selectAll().where("request_id", "=", requestId).execute();
  const outbox = await t.deps.db.selectFrom("outbox").selectAll().where("request_id", "=", requestId).execute();
  return { audit, outbox };
}

async function totals() {
  const { rows } = await sql<{ audit: number; outbox: number }>`select
    (select count(*)::int from audit_log) as audit, (select count(*)::int from outbox) as outbox`.execute(t.deps.db);
  return rows[0];
}

describe("audit rows written by mutations", () => {
  it("creating a user writes one row: actor, action, diff with the password redacted, request id", async () => {
    const email = `${unique("audited")}@example.com`;
    const requestId = `test-${randomUUID()}`;
    const res = await admin.call(
      "POST",
      "/api/v1/users",
      { email, name: "Audited", kind: "agent", password: PASSWORD },
      { "x-request-id": requestId },
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers["x-request-id"]).toBe(requestId);
    const id = res.json().id;
    const rows = await auditOf("user", id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      actor_id: admin.userId,
      action: "user.created",
      entity_type: "user",
      entity_id: id,
      request_id: requestId,
      source: "web",
    });
    expect(row?.changes).toMatchObject({
      email: [null, email],
      name: [null, "Audited"],
      kind: [null, "agent"],
      admin: [null, false],
      password: REDACTED,
    });
    expect(row?.changes).not.toHaveProperty("version");
    expect(row?.changes).not.toHaveProperty("abilities");
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(JSON.stringify(row)).not.toContain("argon2");
    // The outbox event carries the same diff, from the same request.
    const { outbox } = await byRequest(requestId);
    expect(outbox.map((o) => [o.type, o.entity_id])).toEqual([["user.created", id]]);
    expect(outbox[0]?.payload).toEqual({ changes: row?.changes });
  });

  it("updating a user writes one row with exactly the changed fields", async () => {
    const user = await createUser(admin, { kind: "agent", name: "Before" });
    const res = await admin.patch(`/api/v1/users/${user.id}`, {
      version: user.version,
      name: "After",
      password: "a brand new password",
    });
    expect(res.statusCode).toBe(200);
    const rows = await auditOf("user", user.id);
    expect(rows.map((r) => r.action)).toEqual(["user.created", "user.updated"]);
    const updated = rows[1];
    expect(updated?.changes).toEqual({ name: ["Before", "After"], password: REDACTED });
    expect(updated?.request_id).toBe(res.headers["x-request-id"]);
    expect(updated?.actor_id).toBe(admin.userId);
    expect(JSON.stringify(updated)).not.toContain("a brand new password");
  });

  it("an API-token write is attributed to the token's user with source api", async () => {
    const { token } = (await admin.post("/api/v1/me/tokens", { name: "audit" })).json();
    const res = await tokenClient(t, token, admin.userId).post("/api/v1/organizations", { name: unique("ViaApi") });
    expect(res.statusCode).toBe(201);
    const rows = await auditOf("organization", res.json().id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: admin.userId, source: "api", request_id: res.headers["x-request-id"] });
  });

  it("creating and updating an organization writes one row each", async () => {
    const name = unique("Acme");
    const created = await admin.post("/api/v1/organizations", { name, domains: ["acme.example"] });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    const updated = await admin.patch(`/api/v1/organizations/${org.id}`, {
      version: 1,
      domains: ["acme.example", "acme.test"],
    });
    expect(updated.statusCode).toBe(200);
    const rows = await auditOf("organization", org.id);
    expect(rows.map((r) => r.action)).toEqual(["organization.created", "organization.updated"]);
    expect(rows[0]?.changes).toMatchObject({ name: [null, name], domains: [null, ["acme.example"]] });
    expect(rows[0]?.request_id).toBe(created.headers["x-request-id"]);
    expect(rows[1]?.changes).toEqual({ domains: [["acme.example"], ["acme.example", "acme.test"]] });
    expect(rows[1]?.request_id).toBe(updated.headers["x-request-id"]);
    expect(rows.every((r) => r.actor_id === admin.userId)).toBe(true);
  });

  it("creating and updating a group writes one row each", async () => {
    const agent = await createUser(admin, { kind: "agent" });
    const name = unique("Desk");
    const created = await admin.post("/api/v1/groups", { name });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    const updated = await admin.patch(`/api/v1/groups/${group.id}`, {
      version: 1,
      memberIds: [agent.id],
      description: "First line",
    });
    expect(updated.statusCode).toBe(200);
    const rows = await auditOf("group", group.id);
    expect(rows.map((r) => r.action)).toEqual(["group.created", "group.updated"]);
    expect(rows[0]?.changes).toMatchObject({ name: [null, name], memberIds: [null, []] });
    expect(rows[1]?.changes).toEqual({ memberIds: [[], [agent.id]], description: ["", "First line"] });
    expect(rows[1]?.request_id).toBe(updated.headers["x-request-id"]);
  });

  it("a no-op PATCH writes no audit row and no event", async () => {
    const user = await createUser(admin, { kind: "agent", name: "Same" });
    const org = await createOrganization(admin);
    const before = await totals();
    const a = await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, name: "Same" });
    const b = await admin.patch(`/api/v1/organizations/${org.id}`, { version: 1, name: org.name });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    // Nothing changed, so the version stays: a no-op is not an edit.
    expect(a.json().version).toBe(user.version);
    expect(b.json().version).toBe(1);
    expect(await auditOf("user", user.id)).toHaveLength(1);
    expect(await auditOf("organization", org.id)).toHaveLength(1);
    expect(await totals()).toEqual(before);
  });

  it("a failed mutation leaves no audit row and no outbox row", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const org = await createOrganization(admin);
    const group = (await admin.post("/api/v1/groups", { name: unique("G") })).json();
    const failing: [string, string, unknown, number][] = [
      ["POST", "/api/v1/users", { email: user.email, name: "Dup", kind: "agent" }, 409],
      ["POST", "/api/v1/organizations", { name: org.name.toUpperCase() }, 409],
      ["POST", "/api/v1/groups", { name: group.name }, 409],
      ["PATCH", `/api/v1/users/${user.id}`, { version: 7, name: "Stale" }, 409],
      ["PATCH", `/api/v1/users/${user.id}`, { version: 1, roleIds: [randomUUID()] }, 422],
      ["POST", "/api/v1/groups", { name: unique("G"), memberIds: [randomUUID()] }, 422],
    ];
    for (const [method, url, body, status] of failing) {
      const before = await totals();
      const requestId = `fail-${randomUUID()}`;
      const res = await admin.call(method, url, body, { "x-request-id": requestId });
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(status);
      expect(await byRequest(requestId)).toEqual({ audit: [], outbox: [] });
      expect(await totals()).toEqual(before);
    }
    expect(await auditOf("user", user.id)).toHaveLength(1);
  });
});

describe("GET /api/v1/audit", () => {
  it("returns an entity's rows newest first, in pages", async () => {
    const user = await createUser(admin, { kind: "agent", name: "v1" });
    for (let v = 1; v <= 3; v++) {
      expect((await admin.patch(`/api/v1/users/${user.id}`, { version: v, name: `v${v + 1}` })).statusCode).toBe(200);
    }
    const stored = (await auditOf("user", user.id)).map((r) => String(r.id)).reverse();
    expect(stored).toHaveLength(4);

    const seen: { id: string; action: string; changes: Record<string, unknown> }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/audit?entityType=user&entityId=${user.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await admin.get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.id)).toEqual(stored);
    expect(seen.map((r) => r.action)).toEqual(["user.updated", "user.updated", "user.updated", "user.created"]);
    expect(seen[0]?.changes).toEqual({ name: ["v3", "v4"] });
    expect(seen[0]).toMatchObject({ entityType: "user", entityId: user.id, actorId: admin.userId, source: "web" });

    // Filtering by actor narrows to that actor's rows.
    const byActor = (await admin.get(`/api/v1/audit?actorId=${admin.userId}&limit=200`)).json().items;
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((r: { actorId: string }) => r.actorId === admin.userId)).toBe(true);
    expect((await admin.get("/api/v1/audit?cursor=garbage")).statusCode).toBe(422);
  });

  it("is refused to a plain agent and allowed to an auditor", async () => {
    const agent = await userClient(admin, t, { kind: "agent" });
    const res = await agent.get("/api/v1/audit?entityType=user");
    expect(res.statusCode).toBe(403);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body).not.toContain("user.created");

    const roles = (await admin.get("/api/v1/roles")).json().items as { id: string; name: string }[];
    const auditorRole = roles.find((r) => r.name === "Auditor")?.id as string;
    const auditor = await userClient(admin, t, { kind: "agent", roleIds: [auditorRole] });
    const ok = await auditor.get("/api/v1/audit?entityType=user");
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items.length).toBeGreaterThan(0);
  });
});

describe("the audit log is append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE in the database, and the rows remain", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const [row] = await auditOf("user", user.id);
    if (!row) throw new Error("no audit row");
    const before = await totals();
    const attempts = [
      sql`update audit_log set action = 'user.forged' where id = ${row.id}`,
      sql`update audit_log set changes = '{}'`,
      sql`delete from audit_log where id = ${row.id}`,
      sql`delete from audit_log`,
      sql`truncate audit_log`,
    ];
    for (const statement of attempts) {
      await expect(statement.execute(t.deps.db)).rejects.toThrow(/append-only/);
    }
    expect(await totals()).toEqual(before);
    const [after] = await auditOf("user", user.id);
    expect(after).toEqual(row);
  });
});
