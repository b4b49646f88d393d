import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  type Client,
  createOrganization,
  createUser,
  PASSWORD,
  signIn,
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

describe("users", () => {
  it("creates an agent with the default Agent role and finds it by search", async () => {
    const email = `${unique("jane")}@example.com`;
    const res = await admin.post("/api/v1/users", {
      email: email.toUpperCase(),
      name: "Jane Doe",
      kind: "agent",
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email, name: "Jane Doe", kind: "agent", admin: false, active: true, version: 1 });
    expect(user).not.toHaveProperty("passwordHash");
    expect(res.body).not.toContain("argon2");
    const roles = (await admin.get("/api/v1/roles")).json().items as { id: string; name: string }[];
    expect(user.roleIds).toEqual([roles.find((r) => r.name === "Agent")?.id]);

    const list = await admin.get(`/api/v1/users?q=${encodeURIComponent(email.slice(0, 10))}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { id: string }) => u.id)).toContain(user.id);
  });

  it("rejects a duplicate e-mail with 409 naming the field, and stores nothing", async () => {
    const first = await createUser(admin, { kind: "agent" });
    const res = await admin.post("/api/v1/users", { email: first.email, name: "Other", kind: "agent" });
    expect(res.statusCode).toBe(409);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json().errors).toEqual([{ field: "body.email", message: "already in use" }]);
  });

  it("answers 409 on a stale version and keeps the newer write", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const a = await admin.patch(`/api/v1/users/${user.id}`, { version: 1, name: "First edit" });
    expect(a.statusCode).toBe(200);
    expect(a.json().version).toBe(2);
    expect(a.headers.etag).toBe('"2"');
    const b = await admin.patch(`/api/v1/users/${user.id}`, { version: 1, name: "Second edit" });
    expect(b.statusCode).toBe(409);
    expect(b.json().errors[0].field).toBe("body.version");
    expect((await admin.get(`/api/v1/users/${user.id}`)).json().name).toBe("First edit");
    // If-Match works instead of the body's version
    const c = await admin.patch(`/api/v1/users/${user.id}`, { name: "Third edit" }, { "if-match": '"2"' });
    expect(c.statusCode).toBe(200);
    expect(c.json().version).toBe(3);
    const d = await admin.patch(`/api/v1/users/${user.id}`, { name: "No version" });
    expect(d.statusCode).toBe(422);
  });

  it("deactivating a user ends their sessions and blocks sign-in", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const session = await signIn(t, user.email);
    expect((await session.get("/api/v1/me")).statusCode).toBe(200);
    const res = await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, active: false });
    expect(res.statusCode).toBe(200);
    expect((await session.get("/api/v1/me")).statusCode).toBe(401);
    await expect(signIn(t, user.email)).rejects.toThrow(/401/);
  });

  it("lets a user manager edit agents but not administrators, nor grant administration", async () => {
    const roles = (await admin.get("/api/v1/roles")).json().items as { id: string; name: string }[];
    const manager = await userClient(admin, t, {
      kind: "agent",
      roleIds: [roles.find((r) => r.name === "User manager")?.id as string],
    });
    const agent = await createUser(admin, { kind: "agent" });
    const other = await createUser(admin, { kind: "agent", admin: true });
    expect((await manager.patch(`/api/v1/users/${agent.id}`, { version: 1, name: "Renamed" })).statusCode).toBe(200);
    expect((await manager.patch(`/api/v1/users/${agent.id}`, { version: 2, admin: true })).statusCode).toBe(403);
    expect((await manager.patch(`/api/v1/users/${other.id}`, { version: 1, name: "x" })).statusCode).toBe(403);
    expect(
      (await manager.post("/api/v1/users", { email: "boss@example.com", name: "B", kind: "agent", admin: true }))
        .statusCode,
    ).toBe(403);
    const listed = (await manager.get(`/api/v1/users/${other.id}`)).json();
    expect(listed.abilities.update).toBe(false);
  });

  it("a plain agent reads the directory but cannot create users", async () => {
    const agent = await userClient(admin, t, { kind: "agent" });
    expect((await agent.get("/api/v1/users")).statusCode).toBe(200);
    const res = await agent.post("/api/v1/users", { email: "x@example.com", name: "X", kind: "agent" });
    expect(res.statusCode).toBe(403);
  });

  it("a customer sees only themselves and their own organization", async () => {
    const org = await createOrganization(admin);
    const otherOrg = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    const neighbour = await createUser(admin, { kind: "customer", organizationId: org.id });
    const users = (await customer.get("/api/v1/users")).json().items.map((u: { id: string }) => u.id);
    expect(users).toEqual([customer.userId]);
    expect((await customer.get(`/api/v1/users/${neighbour.id}`)).statusCode).toBe(404);
    const orgs = (await customer.get("/api/v1/organizations")).json().items.map((o: { id: string }) => o.id);
    expect(orgs).toEqual([org.id]);
    expect((await customer.get(`/api/v1/organizations/${otherOrg.id}`)).statusCode).toBe(404);
    expect((await customer.get("/api/v1/groups")).statusCode).toBe(403);
  });

  it("paginates with a cursor without repeating or skipping", async () => {
    const org = await createOrganization(admin);
    for (let i = 0; i < 7; i++)
      await createUser(admin, { kind: "customer", organizationId: org.id, name: `Page ${i % 3}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/users?organizationId=${org.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const body: { items: { id: string }[]; nextCursor: string | null } = (await admin.get(url)).json();
      seen.push(...body.items.map((u: { id: string }) => u.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect((await admin.get("/api/v1/users?cursor=garbage")).statusCode).toBe(422);
  });
});
