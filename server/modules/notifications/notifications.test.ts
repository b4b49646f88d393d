import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, PASSWORD, signIn, unique } from "../../../test/helpers/api.ts";
import { noRisk } from "../../../test/helpers/changes.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { closeNotificationStreams, notificationConsumer, remindStartingChanges } from "./index.ts";

/** Runs the notification consumer over every event so far, as the workers would (each event once). */
async function runNotifications(t: TestApp): Promise<void> {
  const events = await t.deps.db.selectFrom("outbox").select("id").orderBy("id").execute();
  const consumer = notificationConsumer(t.deps);
  for (const e of events) await t.deps.jobs.deliver(consumer, String(e.id));
}

interface Note {
  id: string;
  rule: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
}

describe("notifications", () => {
  let t: TestApp;
  let admin: Client;
  let alice: Client;
  let bob: Client;
  let outsider: Client;
  let aliceUser: { id: string; email: string };
  let bobUser: { id: string; email: string };
  let outsiderUser: { id: string; email: string };
  let groupId: string;
  const sender = `desk-${Date.now()}@steward.test`;

  const notes = async (c: Client): Promise<{ items: Note[]; unread: number }> => {
    const res = await c.get("/api/v1/me/notifications?limit=200");
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const mailsTo = (address: string) =>
    t.deps.db
      .selectFrom("mail_outbound")
      .selectAll()
      .where("kind", "=", "notification")
      .where(sql<boolean>`${address} = any(recipients)`)
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await adminClient(t);
    aliceUser = await createUser(admin, { kind: "agent", name: "Alice Agent" });
    bobUser = await createUser(admin, { kind: "agent", name: "Bob Agent" });
    outsiderUser = await createUser(admin, { kind: "agent", name: "Olga Outsider" });
    const group = await admin.post("/api/v1/groups", {
      name: unique("Network"),
      memberIds: [aliceUser.id, bobUser.id],
    });
    expect(group.statusCode, group.body).toBe(201);
    groupId = group.json().id;
    await admin.post("/api/v1/groups", { name: unique("Elsewhere"), memberIds: [outsiderUser.id] });
    alice = await signIn(t, aliceUser.email);
    bob = await signIn(t, bobUser.email);
    outsider = await signIn(t, outsiderUser.email);
    const smtp = await admin.put("/api/v1/settings/smtp", {
      host: "127.0.0.1",
      port: 2525,
      secure: "plain",
      from: sender,
    });
    expect(smtp.statusCode, smtp.body).toBe(200);
  });
  afterAll(() => t?.close());

  it("lists each rule with its defaults; agents choose e-mail and in-app; customers hold none", async () => {
    const rules = (await alice.get("/api/v1/notification-rules")).json().items as {
      rule: string;
      email: boolean;
      inApp: boolean;
      isDefault: boolean;
    }[];
    expect(rules.map((r) => r.rule)).toEqual([
      "ticket_new_in_group",
      "ticket_assigned",
      "customer_replied",
      "mentioned",
      "sla_warning",
      "sla_breach",
      "approval_requested",
      "change_starting",
    ]);
    expect(rules.find((r) => r.rule === "ticket_new_in_group")).toMatchObject({
      email: false,
      inApp: true,
      isDefault: true,
    });
    const adminRules = (await admin.get("/api/v1/notification-rules")).json().items as { rule: string }[];
    expect(adminRules.map((r) => r.rule)).toContain("mail_suppressed");

    const set = await bob.put("/api/v1/notification-rules/ticket_new_in_group", { email: true, inApp: true });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ email: true, inApp: true, isDefault: false });
    const bad = await bob.put("/api/v1/notification-rules/ticket_new_in_group", { email: "yes", inApp: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("body.email");
    const notAdmin = await bob.put("/api/v1/notification-rules/mail_suppressed", { email: true, inApp: true });
    expect(notAdmin.statusCode).toBe(422);

    const customer = await signIn(t, (await createUser(admin, { kind: "customer" })).email);
    expect((await customer.get("/api/v1/notification-rules")).json().items).toEqual([]);
  });

  it("tells the group of a new ticket, per each member's choice, once per event, never the author", async () => {
    const res = await alice.post("/api/v1/tickets", {
      type: "incident",
      title: "Core switch flapping",
      impact: 2,
      urgency: 2,
      groupId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json();
    await runNotifications(t);
    await runNotifications(t); // redelivery adds nothing

    const bobs = (await notes(bob)).items.filter((n) => n.rule === "ticket_new_in_group");
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({
      title: `[${ticket.number}] New: Core switch flapping`,
      link: `/tickets/${ticket.id}`,
    });
    expect((await notes(alice)).items.filter((n) => n.rule === "ticket_new_in_group")).toHaveLength(0);
    expect((await notes(outsider)).items).toHaveLength(0);

    // Bob chose e-mail too; Alice kept the default (in-app only) and was the author anyway.
    const mails = await mailsTo(bobUser.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      automatic: true,
      state: "queued",
      subject: `[${ticket.number}] New: Core switch flapping`,
    });
    const message = mails[0]?.message as { headers: Record<string, string>; text: string; from: { address: string } };
    expect(message.headers["Auto-Submitted"]).toBe("auto-generated");
    expect(message.from.address).toBe(sender);
    expect(message.text).toContain(`http://localhost:${t.deps.config.port}/tickets/${ticket.id}`);
  });

  it("tells the assignee, the responsible on a customer's reply, and mentioned agents who can read the ticket", async () => {
    const org = (await admin.post("/api/v1/organizations", { name: unique("Org") })).json();
    const customerUser = await createUser(admin, { kind: "customer", organizationId: org.id, name: "Cora Customer" });
    const customer = await signIn(t, customerUser.email);
    const created = await customer.post("/api/v1/tickets", {
      type: "incident",
      title: "Printer offline",
      impact: 3,
      urgency: 3,
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticketId = created.json().id as string;
    const current = (await admin.get(`/api/v1/tickets/${ticketId}`)).json();
    const assign = await admin.patch(`/api/v1/tickets/${ticketId}`, {
      groupId,
      assigneeId: bobUser.id,
      version: current.version,
    });
    expect(assign.statusCode, assign.body).toBe(200);
    await runNotifications(t);
    const assigned = (await notes(bob)).items.filter((n) => n.rule === "ticket_assigned");
    expect(assigned).toHaveLength(1);
    expect(assigned[0]?.body).toMatch(/assigned INC-\d+ to you:\nPrinter offline/);
    expect((await mailsTo(bobUser.email)).some((m) => m.subject.includes("Assigned to you: Printer offline"))).toBe(
      true,
    );

    const reply = await customer.post(`/api/v1/tickets/${ticketId}/articles`, {
      kind: "reply",
      body: "<p>Still offline &amp; blinking.</p>",
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const note = await alice.post(`/api/v1/tickets/${ticketId}/articles`, {
      kind: "note",
      body: `<p>@${bobUser.email} and @${outsiderUser.email} please look</p>`,
    });
    expect(note.statusCode, note.body).toBe(201);
    await runNotifications(t);

    const bobNotes = (await notes(bob)).items;
    const replied = bobNotes.find((n) => n.rule === "customer_replied");
    expect(replied?.title).toContain("Cora Customer replied");
    expect(replied?.body).toContain("Still offline & blinking.");
    expect(bobNotes.filter((n) => n.rule === "mentioned")).toHaveLength(1);
    expect((await notes(alice)).items.filter((n) => n.rule === "customer_replied")).toHaveLength(0);
    // Olga is not in the ticket's group: she cannot read it, so she is not told.
    expect((await notes(outsider)).items).toHaveLength(0);
  });

  it("tells the group of an unassigned ticket about its SLA warning and breach, once each", async () => {
    const ticket = (
      await admin.post("/api/v1/tickets", {
        type: "incident",
        title: "Mail server slow",
        impact: 2,
        urgency: 2,
        groupId,
      })
    ).json();
    for (const kind of ["warning", "breached"]) {
      // As the escalation scan records them (tickets/sla.ts `announce`).
      await t.deps.db
        .insertInto("outbox")
        .values({
          type: `ticket.sla_${kind}`,
          entity_type: "ticket",
          entity_id: ticket.id,
          payload: JSON.stringify({
            target: "resolution",
            dueAt: "2026-12-07T14:00:00.000Z",
            groupId,
            assigneeId: null,
          }),
          actor_id: null,
          request_id: null,
          source: "system",
        })
        .execute();
    }
    await runNotifications(t);
    for (const c of [alice, bob]) {
      const items = (await notes(c)).items.filter((n) => n.link === `/tickets/${ticket.id}`);
      expect(items.map((n) => n.rule).sort()).toEqual(["sla_breach", "sla_warning", "ticket_new_in_group"]);
      expect(items.find((n) => n.rule === "sla_breach")?.title).toBe(`[${ticket.number}] SLA breached: resolution`);
      expect(items.find((n) => n.rule === "sla_warning")?.body).toContain("is due 2026-12-07 14:00 UTC");
    }
  });

  it("marks read one at a time or all at once, only the caller's own", async () => {
    const before = await notes(bob);
    expect(before.unread).toBeGreaterThanOrEqual(3);
    const first = before.items[0] as Note;
    const someoneElses = await alice.post(`/api/v1/me/notifications/${first.id}/read`);
    expect(someoneElses.statusCode).toBe(404);
    expect((await notes(bob)).unread).toBe(before.unread);
    const one = await bob.post(`/api/v1/me/notifications/${first.id}/read`);
    expect(one.json()).toEqual({ unread: before.unread - 1 });
    expect((await bob.get("/api/v1/me/notifications?unread=true&limit=200")).json().items).toHaveLength(
      before.unread - 1,
    );
    expect((await bob.post("/api/v1/me/notifications/read-all")).json()).toEqual({ unread: 0 });
    expect((await bob.get("/api/v1/me/notifications/unread")).json()).toEqual({ unread: 0 });
  });

  it("lets admins edit templates with known placeholders only, previews them escaped, and uses them", async () => {
    const unknown = await admin.put("/api/v1/notification-templates/ticket_new_in_group", {
      subject: "New {{ticket.number}}",
      body: "{{ticket.title}} {{user.password}}",
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ field: "body.body", message: expect.stringContaining("{{user.password}}") }),
    ]);
    expect(
      (await bob.put("/api/v1/notification-templates/ticket_new_in_group", { subject: "x", body: "y" })).statusCode,
    ).toBe(403);

    const preview = await admin.post("/api/v1/notification-templates/ticket_new_in_group/preview", {
      subject: "New: {{ticket.title}}",
      body: "<b>{{ticket.title}}</b>\nby {{ticket.requester}}",
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      subject: "New: VPN drops every hour",
      text: "<b>VPN drops every hour</b>\nby Jane Doe",
      html: "<p>&#60;b&#62;VPN drops every hour&#60;/b&#62;<br>by Jane Doe</p>",
    });

    const saved = await admin.put("/api/v1/notification-templates/ticket_new_in_group", {
      subject: "Heads up {{recipient.name}}: {{ticket.number}}",
      body: "{{ticket.title}}",
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ customized: true, version: 1 });
    const stale = await admin.put("/api/v1/notification-templates/ticket_new_in_group", {
      subject: "x",
      body: "y",
      version: 7,
    });
    expect(stale.statusCode).toBe(409);

    const ticket = (
      await alice.post("/api/v1/tickets", { type: "incident", title: "Disk full", impact: 3, urgency: 3, groupId })
    ).json();
    await runNotifications(t);
    const latest = (await notes(bob)).items.find(
      (n) => n.rule === "ticket_new_in_group" && n.link === `/tickets/${ticket.id}`,
    );
    expect(latest?.title).toBe(`Heads up Bob Agent: ${ticket.number}`);

    const reset = await admin.delete("/api/v1/notification-templates/ticket_new_in_group");
    expect(reset.json()).toMatchObject({ customized: false, subject: "[{{ticket.number}}] New: {{ticket.title}}" });
  });

  it("streams the unread count as server-sent events", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const port = (t.app.server.address() as AddressInfo).port;
    const login = await t.request({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: bobUser.email, password: PASSWORD },
    });
    const cookie = ([] as string[])
      .concat(login.headers["set-cookie"] as string | string[])
      .map((c) => c.split(";")[0])
      .join("; ");
    const events: number[] = [];
    let contentType = "";
    let ended = false;
    http.get({ host: "127.0.0.1", port, path: "/api/v1/me/notifications/stream", headers: { cookie } }, (res) => {
      contentType = String(res.headers["content-type"]);
      res.on("end", () => {
        ended = true;
      });
      let buffer = "";
      res.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const m of buffer.matchAll(/event: unread\ndata: (\{[^\n]*\})\n\n/g))
          events.push(JSON.parse(m[1] ?? "{}").unread);
        buffer = buffer.slice(buffer.lastIndexOf("\n\n") + 2);
      });
    });
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 10_000;
      while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFor(1);
    expect(contentType).toMatch(/^text\/event-stream/);
    const start = events[0] as number;
    await alice.post("/api/v1/tickets", {
      type: "incident",
      title: "Badge reader dead",
      impact: 3,
      urgency: 3,
      groupId,
    });
    await runNotifications(t);
    await waitFor(2);
    expect(events[1]).toBe(start + 1);
    // On shutdown the server ends its streams (else closing would wait for them forever).
    closeNotificationStreams(t.app);
    const deadline = Date.now() + 5_000;
    while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toBe(true);

    const anonymous = await new Promise<number>((resolve) =>
      http.get({ host: "127.0.0.1", port, path: "/api/v1/me/notifications/stream" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(anonymous).toBe(401);
  });

  it("asks the CAB members who may decide when a change goes to authorization, not the one who moved it", async () => {
    const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
    const ci = (
      await admin.post("/api/v1/cmdb/cis", {
        classId: classes.find((c) => c.code === "server")?.id,
        name: unique("srv"),
      })
    ).json();
    const set = await admin.post("/api/v1/change-approver-sets", {
      name: unique("CAB"),
      userIds: [bobUser.id, outsiderUser.id],
      rule: "any",
    });
    expect(set.statusCode, set.body).toBe(201);
    const start = new Date(t.clock.now().getTime() + 72 * 3_600_000);
    const created = await alice.post("/api/v1/changes", {
      type: "normal",
      title: "Upgrade the storage firmware",
      description: "Firmware 9.2",
      justification: "Vendor advisory",
      ownerId: aliceUser.id,
      ciIds: [ci.id],
      rollbackPlan: "Reflash 9.1",
      riskAnswers: await noRisk(admin),
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const change = created.json();
    for (const to of ["assessment", "authorization"]) {
      const moved = await alice.post(`/api/v1/changes/${change.id}/transitions`, { to });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    await runNotifications(t);
    for (const c of [bob, outsider]) {
      const asked = (await notes(c)).items.filter((n) => n.rule === "approval_requested");
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({
        title: `[${change.number}] Approval requested: Upgrade the storage firmware`,
        link: `/changes/${change.id}`,
      });
    }
    expect((await notes(alice)).items.filter((n) => n.rule === "approval_requested")).toHaveLength(0);
  });

  it("reminds owner and implementer of a change starting within the hour, once per planned start", async () => {
    const change = await t.deps.db
      .insertInto("changes")
      .values({
        type: "normal",
        state: "scheduled",
        title: "Swap UPS batteries",
        description: "",
        justification: "",
        owner_id: aliceUser.id,
        assignee_id: bobUser.id,
        planned_start: new Date(t.deps.now().getTime() + 30 * 60_000),
        planned_end: new Date(t.deps.now().getTime() + 90 * 60_000),
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await remindStartingChanges(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await remindStartingChanges(t.deps)).toBe(0);
    for (const c of [alice, bob]) {
      const found = (await notes(c)).items.filter(
        (n) => n.rule === "change_starting" && n.link === `/changes/${change.id}`,
      );
      expect(found).toHaveLength(1);
      expect(found[0]?.title).toContain("Swap UPS batteries");
    }
  });
});

describe("password reset", () => {
  let t: TestApp;
  let admin: Client;
  const from = "noreply@steward.test";

  beforeAll(async () => {
    t = await createTestApp();
    admin = await adminClient(t);
    await admin.put("/api/v1/settings/smtp", { host: "127.0.0.1", port: 2525, secure: "plain", from });
  });
  afterAll(() => t?.close());

  const ask = (email: string, ip = "10.0.0.1") =>
    t.request({ method: "POST", url: "/api/v1/auth/password-reset", payload: { email }, remoteAddress: ip });
  const confirm = (token: string, password: string) =>
    t.request({ method: "POST", url: "/api/v1/auth/password-reset/confirm", payload: { token, password } });
  const resetMails = (address: string) =>
    t.deps.db
      .selectFrom("mail_outbound")
      .selectAll()
      .where("kind", "=", "password_reset")
      .where(sql<boolean>`${address} = any(recipients)`)
      .orderBy("created_at")
      .execute();
  const tokenOf = (m: { message: unknown }) => {
    const text = (m.message as { text: string }).text;
    return decodeURIComponent(/#token=([^\s]+)/.exec(text)?.[1] ?? "");
  };

  it("answers the same whether or not the account exists, and mails a single-use link that expires", async () => {
    const user = await createUser(admin, { kind: "agent" });
    const known = await ask(user.email);
    const unknown = await ask(`nobody-${Date.now()}@example.com`);
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);

    const [mail] = await resetMails(user.email);
    expect(mail).toMatchObject({ automatic: true, subject: "Reset your Steward password" });
    const token = tokenOf(mail as { message: unknown });
    expect(token.length).toBeGreaterThan(20);
    // Only a hash is stored.
    const stored = await t.deps.db.selectFrom("password_resets").select("token_hash").execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const session = await signIn(t, user.email);
    expect((await confirm(token, "short")).statusCode).toBe(400);
    const ok = await confirm(token, "a brand new long passphrase");
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await session.get("/api/v1/me")).statusCode).toBe(401);
    expect(
      (
        await t.request({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { email: user.email, password: PASSWORD },
        })
      ).statusCode,
    ).toBe(401);
    await signIn(t, user.email, "a brand new long passphrase");

    const again = await confirm(token, "yet another long passphrase");
    expect(again.statusCode).toBe(401);
    expect(again.json().detail).toMatch(/invalid, was used already or has expired/);

    await ask(user.email);
    const later = (await resetMails(user.email)).at(-1) as { message: unknown };
    t.clock.advance(31 * 60_000);
    expect((await confirm(tokenOf(later), "yet another long passphrase")).statusCode).toBe(401);
  });

  it("limits requests per account (quietly) and per address (429)", async () => {
    const user = await createUser(admin, { kind: "agent" });
    for (let i = 0; i < 5; i++) expect((await ask(user.email, "10.0.0.2")).statusCode).toBe(202);
    expect(await resetMails(user.email)).toHaveLength(3);
    let last = 202;
    for (let i = 0; i < 20 && last === 202; i++) last = (await ask(`x${i}@example.com`, "10.0.0.2")).statusCode;
    expect(last).toBe(429);
  });
});
