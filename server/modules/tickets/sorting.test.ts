import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { escalateDue } from "./escalations.ts";

let t: TestApp;
let admin: Client;
let agent: Client;
let groupId: string;
const MIN = 60_000;

interface Listed {
  id: string;
  number: string;
  priority: string;
  createdAt: string;
  updatedAt: string;
}

/** Every page of a sort, followed through its cursors, two at a time. */
async function paged(sort: string, extra = ""): Promise<Listed[]> {
  const seen: Listed[] = [];
  let cursor: string | null = null;
  do {
    const res = await agent.get(
      `/api/v1/tickets?groupId=${groupId}&sort=${sort}&limit=2${extra}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body: { items: Listed[]; nextCursor: string | null } = res.json();
    seen.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return seen;
}

async function oneShot(sort: string): Promise<Listed[]> {
  return (await agent.get(`/api/v1/tickets?groupId=${groupId}&sort=${sort}&limit=200`)).json().items;
}

const byKey =
  (...keys: ((x: Listed) => string | number)[]) =>
  (a: Listed, b: Listed) => {
    for (const k of keys) {
      const x = k(a);
      const y = k(b);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };

let tickets: Record<string, Listed> = {};
const dueOf = new Map<string, number>();

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const a = await createUser(admin, { kind: "agent" });
  groupId = (await admin.post("/api/v1/groups", { name: unique("Sorters"), memberIds: [a.id] })).json().id;
  agent = await signIn(t, a.email);
  const cal = await admin.post("/api/v1/calendars", { name: unique("Always"), timezone: "UTC", hours: [] });
  for (const [priority, minutes, order] of [
    ["P1", 60, 1],
    ["P2", 480, 2],
    ["P3", 240, 3],
  ] as const) {
    const res = await admin.post("/api/v1/sla-policies", {
      name: unique(`Resolve ${priority}`),
      calendarId: cal.json().id,
      order,
      match: { types: ["incident"], priorities: [priority] },
      targets: { resolutionMinutes: minutes },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  // impact × urgency: (1,1) P1, (1,2) P2, (2,2) P3, (3,3) P4 in the default matrix.
  const specs: [string, number, number][] = [
    ["p3-old", 2, 2],
    ["p1-old", 1, 1],
    ["p4", 3, 3],
    ["p2", 1, 2],
    ["p1-new", 1, 1],
    ["p3-held", 2, 2],
    ["p3-new", 2, 2],
  ];
  tickets = {};
  for (const [name, impact, urgency] of specs) {
    t.clock.advance(7 * MIN);
    const res = await agent.post("/api/v1/tickets", { type: "incident", title: name, impact, urgency, groupId });
    expect(res.statusCode, res.body).toBe(201);
    tickets[name] = res.json();
  }
  await agent.post(`/api/v1/tickets/${tickets["p3-held"]?.id}/transitions`, {
    to: "on_hold",
    reason: "awaiting_customer",
  });
  for (const x of Object.values(tickets)) {
    const clock = (await agent.get(`/api/v1/tickets/${x.id}/sla`)).json().clocks[0];
    if (clock?.dueAt && clock.status !== "paused") dueOf.set(x.id, Date.parse(clock.dueAt));
  }
});
afterAll(() => t.close());

describe("work-list sorts", () => {
  it("priority: most urgent first, oldest first within a priority; -priority the exact reverse", async () => {
    const listed = await paged("priority");
    expect(listed.map((x) => x.id)).toEqual((await oneShot("priority")).map((x) => x.id));
    const expected = [...listed].sort(
      byKey(
        (x) => x.priority,
        (x) => x.createdAt,
        (x) => x.id,
      ),
    );
    expect(listed.map((x) => x.id)).toEqual(expected.map((x) => x.id));
    expect(listed.slice(0, 2).map((x) => x.id)).toEqual([tickets["p1-old"]?.id, tickets["p1-new"]?.id]);
    expect(listed.at(-1)?.id).toBe(tickets.p4?.id);
    expect((await paged("-priority")).map((x) => x.id)).toEqual(listed.map((x) => x.id).reverse());
  });

  it("slaDue: soonest due first, tickets without a counting clock last", async () => {
    const listed = (await paged("slaDue")).map((x) => x.id);
    const withDue = [...dueOf.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
    expect(listed.slice(0, withDue.length)).toEqual(withDue);
    // P4 has no policy and the held P3 is paused: both come after every due ticket.
    expect(new Set(listed.slice(withDue.length))).toEqual(new Set([tickets.p4?.id, tickets["p3-held"]?.id]));
    expect((await paged("-slaDue")).map((x) => x.id)).toEqual([...listed].reverse());
  });

  it("slaDueWithinHours keeps the tickets due soon (and the shared view counts them)", async () => {
    const now = t.clock.now().getTime();
    for (const hours of [1, 2, 5, 10]) {
      const expected = [...dueOf.entries()]
        .filter(([, due]) => due < now + hours * 3_600_000)
        .map(([id]) => id)
        .sort();
      const listed = (await paged("slaDue", `&slaDueWithinHours=${hours}`)).map((x) => x.id);
      expect([...listed].sort(), `within ${hours} h`).toEqual(expected);
    }
    const view = (await agent.get("/api/v1/views"))
      .json()
      .items.find((v: { name: string }) => v.name === "Due in the next 24 hours");
    expect(view).toMatchObject({ shared: true, filters: { sort: "slaDue" } });
    expect(view.count).toBe(dueOf.size);
    expect((await agent.get("/api/v1/tickets?slaDueWithinHours=-1")).statusCode).toBe(400);
  });

  it("slaDue puts a breached ticket first, and one resumed from hold back among the due ones", async () => {
    t.clock.advance(90 * MIN); // past the P1 targets (60 min)
    await escalateDue(t.deps);
    const first = (await paged("slaDue"))[0];
    expect(first?.id).toBe(tickets["p1-old"]?.id);
    await agent.post(`/api/v1/tickets/${tickets["p3-held"]?.id}/transitions`, { to: "in_progress" });
    const listed = (await paged("slaDue")).map((x) => x.id);
    expect(listed.at(-1)).toBe(tickets.p4?.id);
    expect(listed.indexOf(tickets["p3-held"]?.id ?? "")).toBeLessThan(listed.length - 1);
    // Resolving takes a ticket's due time away: it is no longer counting.
    await agent.post(`/api/v1/tickets/${tickets["p1-old"]?.id}/transitions`, { to: "in_progress" });
    await agent.post(`/api/v1/tickets/${tickets["p1-old"]?.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Replaced the fan",
    });
    const open = (await paged("slaDue", "&stateType=new,open,pending")).map((x) => x.id);
    expect(open).not.toContain(tickets["p1-old"]?.id);
    expect(open[0]).toBe(tickets["p1-new"]?.id);
  });

  it("updatedAt follows edits; -updatedAt shows the latest edit first", async () => {
    t.clock.advance(MIN);
    const target = tickets["p3-old"];
    const fresh = (await agent.get(`/api/v1/tickets/${target?.id}`)).json();
    const res = await agent.patch(`/api/v1/tickets/${target?.id}`, { version: fresh.version, tags: ["sorted"] });
    expect(res.statusCode, res.body).toBe(200);
    const listed = await paged("-updatedAt");
    expect(listed[0]?.id).toBe(target?.id);
    const expected = [...listed]
      .sort(
        byKey(
          (x) => x.updatedAt,
          (x) => x.id,
        ),
      )
      .reverse();
    expect(listed.map((x) => x.id)).toEqual(expected.map((x) => x.id));
    expect((await paged("updatedAt")).map((x) => x.id)).toEqual(listed.map((x) => x.id).reverse());
  });

  it("a cursor only continues the sort that gave it out", async () => {
    const page = (await agent.get(`/api/v1/tickets?groupId=${groupId}&sort=priority&limit=2`)).json();
    expect(page.nextCursor).toBeTruthy();
    const other = await agent.get(`/api/v1/tickets?groupId=${groupId}&sort=-createdAt&cursor=${page.nextCursor}`);
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0].field).toBe("query.cursor");
    const forged = Buffer.from(JSON.stringify(["priority", "P9", "2026-01-01T00:00:00Z", "x"])).toString("base64url");
    expect((await agent.get(`/api/v1/tickets?sort=priority&cursor=${forged}`)).statusCode).toBe(422);
    expect((await agent.get("/api/v1/tickets?sort=slaDue,priority")).statusCode).toBe(400);
  });
});
