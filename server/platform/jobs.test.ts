import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser } from "../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../test/helpers/test-app.ts";
import type { Tx } from "../db/database.ts";
import type { DomainEvent } from "./events.ts";
import type { Consumer } from "./jobs.ts";

/**
 * The outbox → pg-boss → consumer path, end to end on the real database:
 * every committed event reaches each consumer, its effect happens once even
 * when a job is redelivered or retried, and a rolled-back use case emits nothing.
 */

let t: TestApp;
let admin: Client;

/** Calls per (consumer, event), successful or not: proves retries happened. */
const attempts = new Map<string, number>();
const failedOnce = new Set<string>();

async function effect(tx: Tx, consumer: string, event: DomainEvent): Promise<void> {
  attempts.set(`${consumer}:${event.id}`, (attempts.get(`${consumer}:${event.id}`) ?? 0) + 1);
  await sql`insert into test_effects (consumer, event_id, event_type, entity_id)
    values (${consumer}, ${event.id}, ${event.type}, ${event.entityId})`.execute(tx);
}

const recorder: Consumer = {
  name: "test-recorder",
  events: ["user.created"],
  handle: (tx, event) => effect(tx, "test-recorder", event),
};

/** Writes its effect, then fails the first time it sees an event: the effect must roll back with it. */
const flaky: Consumer = {
  name: "test-flaky",
  events: ["user.created"],
  async handle(tx, event) {
    await effect(tx, "test-flaky", event);
    if (!failedOnce.has(event.id)) {
      failedOnce.add(event.id);
      throw new Error("transient failure (test)");
    }
  },
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  await sql`create table test_effects (
    id bigint generated always as identity primary key,
    consumer text not null,
    event_id bigint not null,
    event_type text not null,
    entity_id text not null
  )`.execute(t.deps.db);
  t.deps.jobs.register(recorder);
  t.deps.jobs.register(flaky);
  await t.deps.jobs.start({ work: true });
});

afterAll(async () => {
  await t?.deps.jobs.stop();
  await t?.close();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function effectsOf(consumer: string, entityId?: string) {
  const { rows } = await sql<{ event_id: string; event_type: string; entity_id: string }>`
    select event_id::text, event_type, entity_id from test_effects
    where consumer = ${consumer} and (${entityId ?? null}::text is null or entity_id = ${entityId ?? null})
    order by id`.execute(t.deps.db);
  return rows;
}

async function eventOf(entityId: string, type = "user.created") {
  const row = await t.deps.db
    .selectFrom("outbox")
    .selectAll()
    .where("entity_id", "=", entityId)
    .where("type", "=", type)
    .executeTakeFirstOrThrow();
  return { ...row, id: String(row.id) };
}

describe("outbox dispatch and delivery", () => {
  it("delivers each created user's event to the consumer exactly once", async () => {
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await createUser(admin, { kind: "agent" }));
    for (const user of users) {
      const event = await eventOf(user.id);
      await waitFor(`effect of ${user.id}`, async () => (await effectsOf("test-recorder", user.id)).length > 0);
      const seen = await effectsOf("test-recorder", user.id);
      expect(seen).toEqual([{ event_id: event.id, event_type: "user.created", entity_id: user.id }]);
    }
    // Give the dispatcher and the workers more rounds: still once each.
    await sleep(1500);
    for (const user of users) expect(await effectsOf("test-recorder", user.id)).toHaveLength(1);
    const marks = await t.deps.db
      .selectFrom("event_deliveries")
      .select(["event_id", "consumer"])
      .where("consumer", "=", "test-recorder")
      .execute();
    for (const user of users) {
      const event = await eventOf(user.id);
      expect(marks.filter((m) => String(m.event_id) === event.id)).toHaveLength(1);
    }
  });

  it("a second delivery of a handled event is a no-op", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const event = await eventOf(user.id);
    await waitFor("first delivery", async () => (await effectsOf("test-recorder", user.id)).length === 1);
    const before = attempts.get(`test-recorder:${event.id}`);
    expect(await t.deps.jobs.deliver(recorder, event.id)).toBe(false);
    expect(await t.deps.jobs.deliver(recorder, event.id)).toBe(false);
    expect(attempts.get(`test-recorder:${event.id}`)).toBe(before);
    expect(await effectsOf("test-recorder", user.id)).toHaveLength(1);
    // Dispatching again finds nothing new to send.
    await waitFor("outbox drained", async () => (await t.deps.jobs.dispatch()) === 0);
    await sleep(1000);
    expect(await effectsOf("test-recorder", user.id)).toHaveLength(1);
  });

  it("a consumer that throws once is retried by pg-boss and its effect happens once", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const event = await eventOf(user.id);
    await waitFor("retried delivery", async () => (await effectsOf("test-flaky", user.id)).length > 0, 30_000);
    expect(failedOnce.has(event.id)).toBe(true);
    expect(attempts.get(`test-flaky:${event.id}`)).toBeGreaterThanOrEqual(2);
    // The failed attempt's effect rolled back with it; only the successful one is left.
    expect(await effectsOf("test-flaky", user.id)).toEqual([
      { event_id: event.id, event_type: "user.created", entity_id: user.id },
    ]);
    // The other consumer was not held back or doubled by the flaky one.
    await waitFor("recorder", async () => (await effectsOf("test-recorder", user.id)).length > 0);
    await sleep(1000);
    expect(await effectsOf("test-recorder", user.id)).toHaveLength(1);
    expect(await effectsOf("test-flaky", user.id)).toHaveLength(1);
  });

  it("every outbox row ends up dispatched", async () => {
    await createUser(admin, { kind: "customer" });
    const org = await admin.post("/api/v1/organizations", { name: `Org ${randomUUID()}` });
    expect(org.statusCode).toBe(201);
    const pending = () => t.deps.db.selectFrom("outbox").select("id").where("dispatched_at", "is", null).execute();
    await waitFor("outbox dispatched", async () => (await pending()).length === 0);
    const rows = await t.deps.db.selectFrom("outbox").select(["type", "dispatched_at"]).execute();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.dispatched_at instanceof Date)).toBe(true);
    // Events no consumer wants are dispatched too, without effects.
    expect(rows.map((r) => r.type)).toContain("organization.created");
    expect((await effectsOf("test-recorder")).every((e) => e.event_type === "user.created")).toBe(true);
  });

  it("a rolled-back use case emits no event", async () => {
    const existing = await createUser(admin, { kind: "agent" });
    await waitFor("settled", async () => (await effectsOf("test-recorder", existing.id)).length === 1);
    const before = (await effectsOf("test-recorder")).length;
    const requestId = `rollback-${randomUUID()}`;
    const failed = await admin.call(
      "POST",
      "/api/v1/users",
      { email: existing.email, name: "Duplicate", kind: "agent" },
      { "x-request-id": requestId },
    );
    expect(failed.statusCode).toBe(409);
    expect(await t.deps.db.selectFrom("outbox").select("id").where("request_id", "=", requestId).execute()).toEqual([]);
    // A later, successful write is delivered; by then an event of the failed one would have been too.
    const later = await createUser(admin, { kind: "agent" });
    await waitFor("later delivered", async () => (await effectsOf("test-recorder", later.id)).length === 1);
    await sleep(500);
    const after = await effectsOf("test-recorder");
    expect(after).toHaveLength(before + 1);
    expect(after.filter((e) => e.entity_id === existing.id)).toHaveLength(1);
  });
});
