import net from "node:net";
import { sql } from "kysely";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { receive, replyMailConsumer, sendQueued, startSmtpListener } from "./index.ts";

/** Runs the agent-reply consumer over a ticket's article events, as the workers would. */
async function mailReplies(t: TestApp, ticketId: string): Promise<void> {
  const events = await t.deps.db
    .selectFrom("outbox")
    .select("id")
    .where("type", "=", "ticket.article_added")
    .where("entity_id", "=", ticketId)
    .execute();
  for (const e of events) await t.deps.jobs.deliver(replyMailConsumer(t.deps), String(e.id));
}

type Mail = ConstructorParameters<typeof MailComposer>[0];

function compose(mail: Mail): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("e-mail intake", () => {
  let t: TestApp;
  let admin: Client;
  let agent: Client;
  let groupId: string;
  let mailboxId: string;
  const address = `${unique("desk")}@steward.test`;
  const domain = `${unique("acme")}.example`;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await adminClient(t);
    const agentUser = await createUser(admin, { kind: "agent" });
    const group = await admin.post("/api/v1/groups", { name: unique("Mail desk"), memberIds: [agentUser.id] });
    groupId = group.json().id;
    agent = await signIn(t, agentUser.email);
    const org = await admin.post("/api/v1/organizations", { name: unique("Acme"), domains: [domain] });
    orgId = org.json().id;
    const res = await admin.post("/api/v1/mailboxes", {
      kind: "smtp",
      name: "Service desk",
      address,
      groupId,
      ticketType: "incident",
      acknowledge: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    mailboxId = res.json().id;
  });
  afterAll(() => t?.close());

  const deliver = async (mail: Mail, envelope?: { mailFrom?: string }) =>
    receive(t.deps, { mailboxId, raw: await compose(mail), envelope: envelope ?? {} });

  it("turns a new message into a ticket for a new customer of the organization owning the domain", async () => {
    const from = `${unique("jane")}@${domain}`;
    const r = await deliver({
      from: `Jane Doe <${from}>`,
      to: address,
      cc: "boss@elsewhere.example",
      subject: "Printer on floor 3 is jammed",
      html: '<p>It <b>jams</b> every time.<script>alert(1)</script><img src="https://tracker.example/p.gif"></p>',
      messageId: `<${unique("m")}@${domain}>`,
    });
    expect(r.outcome).toBe("created");
    const ticket = (await agent.get(`/api/v1/tickets/${r.ticketId}`)).json();
    expect(ticket.title).toBe("Printer on floor 3 is jammed");
    expect(ticket.type).toBe("incident");
    expect(ticket.groupId).toBe(groupId);
    expect(ticket.organizationId).toBe(orgId);
    expect(ticket.description).toContain("<b>jams</b>");
    expect(ticket.description).not.toContain("script");
    const requester = (await admin.get(`/api/v1/users/${ticket.requesterId}`)).json();
    expect(requester).toMatchObject({ email: from, name: "Jane Doe", kind: "customer", organizationId: orgId });

    const articles = (await agent.get(`/api/v1/tickets/${r.ticketId}/articles`)).json().items;
    const mail = articles.find((a: { channel: string }) => a.channel === "email");
    expect(mail.mail).toMatchObject({
      direction: "in",
      from: { name: "Jane Doe", address: from },
      to: [{ address }],
      cc: [{ address: "boss@elsewhere.example" }],
      subject: "Printer on floor 3 is jammed",
      initial: true,
      remoteImages: 1,
      hasSource: true,
    });
    expect(mail.body).not.toMatch(/\ssrc="https:\/\/tracker/);
    expect(mail.body).toContain('data-remote-src="https://tracker.example/p.gif"');

    // The original message: agents read it; the customer (who sent it) is not shown the raw headers.
    const source = await agent.get(`/api/v1/tickets/${r.ticketId}/articles/${mail.id}/source`);
    expect(source.statusCode).toBe(200);
    expect(source.headers["content-type"]).toMatch(/^text\/plain/);
    expect(source.headers["content-disposition"]).toMatch(/^attachment/);
    expect(source.body).toContain("Subject: Printer on floor 3 is jammed");

    // The acknowledgement is queued as an automatic reply, threaded under the message.
    const out = (await admin.get("/api/v1/mail/outbound")).json().items;
    const ack = out.find((o: { ticketId: string }) => o.ticketId === r.ticketId);
    expect(ack).toMatchObject({ kind: "acknowledgement", automatic: true, recipients: [from], state: "queued" });
    expect(ack.subject).toContain(`[${ticket.number}]`);
  });

  it("threads replies by the ticket tag and by In-Reply-To, once per Message-ID", async () => {
    const from = `${unique("sam")}@${domain}`;
    const first = `<${unique("first")}@${domain}>`;
    const r1 = await deliver({ from, to: address, subject: "VPN drops", text: "Every hour.", messageId: first });
    const number = (await agent.get(`/api/v1/tickets/${r1.ticketId}`)).json().number;

    const byTag = await deliver({
      from,
      to: address,
      subject: `RE: [${number}] VPN drops`,
      text: "Still dropping.",
      messageId: `<${unique("tag")}@${domain}>`,
    });
    expect(byTag).toMatchObject({ outcome: "appended", ticketId: r1.ticketId });

    const replyId = `<${unique("reply")}@${domain}>`;
    const reply = {
      from,
      to: address,
      subject: "Re: VPN drops",
      text: "And now?",
      messageId: replyId,
      inReplyTo: first,
    };
    const byHeader = await deliver(reply);
    expect(byHeader).toMatchObject({ outcome: "appended", ticketId: r1.ticketId });

    const again = await deliver(reply);
    expect(again).toMatchObject({ outcome: "duplicate", ticketId: r1.ticketId });
    const articles = (await agent.get(`/api/v1/tickets/${r1.ticketId}/articles`)).json().items;
    expect(articles.filter((a: { channel: string }) => a.channel === "email")).toHaveLength(3);
  });

  it("does not let a stranger add to someone else's ticket by guessing its number", async () => {
    const r1 = await deliver({
      from: `${unique("owner")}@${domain}`,
      to: address,
      subject: "Laptop stolen",
      text: "Please lock it.",
    });
    const number = (await agent.get(`/api/v1/tickets/${r1.ticketId}`)).json().number;
    const stranger = await deliver({
      from: `${unique("mallory")}@evil.example`,
      to: address,
      subject: `[${number}] Laptop stolen`,
      text: "Please unlock it.",
    });
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticketId).not.toBe(r1.ticketId);
  });

  it("reopens a resolved ticket and opens a linked new ticket for a reply to a closed one", async () => {
    const from = `${unique("kim")}@${domain}`;
    const r = await deliver({ from, to: address, subject: "Mail quota", text: "Full again." });
    const tk = (await agent.get(`/api/v1/tickets/${r.ticketId}`)).json();
    const resolved = await agent.post(`/api/v1/tickets/${r.ticketId}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Quota raised.",
      version: tk.version,
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const reopened = await deliver({
      from,
      to: address,
      subject: `Re: [${tk.number}] Mail quota`,
      text: "Full again!",
    });
    expect(reopened).toMatchObject({ outcome: "appended", ticketId: r.ticketId });
    expect((await agent.get(`/api/v1/tickets/${r.ticketId}`)).json().stateType).toBe("open");

    // Closed: a new ticket, linked to the old one.
    const row = await t.deps.db
      .updateTable("tickets")
      .set({ state: "closed", state_type: "closed", closed_at: new Date() })
      .where("id", "=", r.ticketId as string)
      .returning("id")
      .executeTakeFirst();
    expect(row).toBeDefined();
    const fresh = await deliver({ from, to: address, subject: `Re: [${tk.number}] Mail quota`, text: "Once more." });
    expect(fresh.outcome).toBe("created");
    expect(fresh.ticketId).not.toBe(r.ticketId);
    const links = (await agent.get(`/api/v1/tickets/${fresh.ticketId}/links`)).json();
    expect(JSON.stringify(links)).toContain(r.ticketId);
  });

  it("keeps attachments as downloads and serves inline images only as raster images", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const r = await deliver({
      from: `${unique("pat")}@${domain}`,
      to: address,
      subject: "Screenshot of the error",
      html: '<p>See <img src="cid:shot@x"></p>',
      attachments: [
        { filename: "shot.png", content: png, cid: "shot@x", contentType: "image/png" },
        { filename: "../../etc/passwd\u0000.txt", content: "not a path", contentType: "text/plain" },
        { filename: "evil.svg", content: '<svg onload="alert(1)"/>', contentType: "image/svg+xml" },
      ],
    });
    expect(r.outcome).toBe("created");
    const articles = (await agent.get(`/api/v1/tickets/${r.ticketId}/articles`)).json().items;
    const files = articles[0].mail.attachments as { id: string; filename: string; inline: boolean }[];
    expect(files.map((f) => f.filename).sort()).toEqual(["evil.svg", "passwd.txt", "shot.png"]);
    const shot = files.find((f) => f.filename === "shot.png");
    expect(shot?.inline).toBe(true);
    const ticket = (await agent.get(`/api/v1/tickets/${r.ticketId}`)).json();
    expect(ticket.description).toContain(`/api/v1/attachments/${shot?.id}/inline`);
    const inline = await agent.get(`/api/v1/attachments/${shot?.id}/inline`);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers["content-type"]).toBe("image/png");
    const svg = files.find((f) => f.filename === "evil.svg");
    expect((await agent.get(`/api/v1/attachments/${svg?.id}/inline`)).statusCode).toBe(404);
    const download = await agent.get(`/api/v1/attachments/${svg?.id}`);
    expect(download.headers["content-disposition"]).toMatch(/^attachment/);
  });

  it("reads encoded words, wrong and unknown charset labels, and RFC 2231 file names", async () => {
    const sender = `${unique("juergen")}@${domain}`;
    const raw = Buffer.concat([
      Buffer.from(
        [
          `From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <${sender}>`,
          `To: ${address}`,
          "Subject: =?ISO-8859-1?Q?Drucker_im_B=FCro?= =?UTF-8?B?4oCTIGthcHV0dA==?=",
          `Message-ID: <${unique("cs")}@${domain}>`,
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="X"',
          "",
          "--X",
          // Labelled Latin-1, written in Windows-1252 (its curly quotes), as Outlook does.
          'Content-Type: text/plain; charset="iso-8859-1"',
          "Content-Transfer-Encoding: 8bit",
          "",
          "",
        ].join("\r\n"),
        "latin1",
      ),
      Buffer.from("Gr\xfc\xdfe, der Drucker \x93druckt\x94 nicht.\r\n", "latin1"),
      // A charset nobody knows, holding UTF-8.
      Buffer.from(["--X", 'Content-Type: text/plain; charset="x-unknown-8bit"', "", ""].join("\r\n")),
      Buffer.from("Zweiter Teil: Stra\xc3\x9fe\r\n", "latin1"),
      Buffer.from(
        [
          "--X",
          "Content-Type: application/pdf",
          "Content-Disposition: attachment; filename*=UTF-8''Pr%C3%BCfbericht%20%E2%82%AC.pdf",
          "Content-Transfer-Encoding: base64",
          "",
          "JVBERi0xLjQK",
          "--X--",
          "",
        ].join("\r\n"),
      ),
    ]);
    const r = await receive(t.deps, { mailboxId, raw });
    expect(r.outcome).toBe("created");
    const ticket = (await agent.get(`/api/v1/tickets/${r.ticketId}`)).json();
    expect(ticket.title).toBe("Drucker im Büro– kaputt");
    expect(ticket.description).toContain("Grüße, der Drucker “druckt” nicht.");
    expect(ticket.description).toContain("Zweiter Teil: Straße");
    const requester = (await admin.get(`/api/v1/users/${ticket.requesterId}`)).json();
    expect(requester.name).toBe("Jürgen Müller");
    const articles = (await agent.get(`/api/v1/tickets/${r.ticketId}/articles`)).json().items;
    expect(articles[0].mail.attachments.map((a: { filename: string }) => a.filename)).toEqual(["Prüfbericht €.pdf"]);
  });

  it("quarantines what it cannot process, keeps the source, and lets an admin retry or discard", async () => {
    // 10,000 MIME parts: refused by the prescan, quickly.
    const boundary = "b";
    const parts = Array.from({ length: 10_000 }, () => `--${boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n`).join(
      "",
    );
    const raw = Buffer.from(
      `From: a@${domain}\r\nTo: ${address}\r\nSubject: many parts\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n${parts}--${boundary}--\r\n`,
    );
    const started = Date.now();
    const r = await receive(t.deps, { mailboxId, raw });
    const ms = Date.now() - started;
    expect(r.outcome).toBe("quarantined");
    expect(r.reason).toMatch(/more than 500 MIME parts/);
    expect(ms).toBeLessThan(10_000); // bounded work, not a timing benchmark: the parser would take far longer

    const longHeader = Buffer.from(
      `From: a@${domain}\r\nTo: ${address}\r\nSubject: ${"x".repeat(1024 * 1024)}\r\n\r\nhi\r\n`,
    );
    const r2 = await receive(t.deps, { mailboxId, raw: longHeader });
    expect(r2).toMatchObject({ outcome: "quarantined" });
    expect(r2.reason).toMatch(/header/);

    const held = (await admin.get("/api/v1/mail/quarantine")).json().items;
    const entry = held.find((q: { id: string }) => q.id === r.quarantineId);
    expect(entry).toMatchObject({ state: "held", subject: "many parts", sender: `a@${domain}` });
    const source = await admin.get(`/api/v1/mail/quarantine/${r.quarantineId}/raw`);
    expect(source.rawPayload.equals(raw)).toBe(true);

    const discarded = await admin.post(`/api/v1/mail/quarantine/${r.quarantineId}/discard`);
    expect(discarded.json().state).toBe("discarded");
    expect((await admin.post(`/api/v1/mail/quarantine/${r.quarantineId}/discard`)).statusCode).toBe(409);
    const audit = (await admin.get(`/api/v1/audit?entityId=${r.quarantineId}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toContain("mail.quarantine_discarded");
  });

  it("holds mail from unknown senders when the mailbox rejects them, and a retry processes it", async () => {
    const strictAddress = `${unique("strict")}@steward.test`;
    const res = await admin.post("/api/v1/mailboxes", {
      kind: "smtp",
      name: "Strict",
      address: strictAddress,
      groupId,
      ticketType: "service_request",
      unknownSenders: "reject",
    });
    const strict = res.json();
    const sender = `${unique("new")}@nowhere.example`;
    const raw = await compose({ from: sender, to: strictAddress, subject: "Need a monitor", text: "A big one." });
    const r = await receive(t.deps, { mailboxId: strict.id, raw });
    expect(r.outcome).toBe("quarantined");
    expect(r.reason).toMatch(/unknown sender/);
    expect((await admin.get(`/api/v1/users?q=${encodeURIComponent(sender)}`)).json().items).toHaveLength(0);

    const org = await createOrganization(admin);
    await admin.post("/api/v1/users", { email: sender, name: "New Person", kind: "customer", organizationId: org.id });
    const retried = await admin.post(`/api/v1/mail/quarantine/${r.quarantineId}/retry`);
    expect(retried.json()).toMatchObject({ outcome: "created" });
    const ticket = (await agent.get(`/api/v1/tickets/${retried.json().ticketId}`)).json();
    expect(ticket).toMatchObject({ type: "service_request", organizationId: org.id });
    const processed = (await admin.get("/api/v1/mail/quarantine?state=processed")).json().items;
    expect(processed.find((q: { id: string }) => q.id === r.quarantineId)).toMatchObject({ ticketId: ticket.id });
  });

  it("sends no acknowledgement to automatic mail and attaches bounces to the ticket whose mail bounced", async () => {
    const from = `${unique("ooo")}@${domain}`;
    const auto = await deliver({
      from,
      to: address,
      subject: "Out of office",
      text: "I am away.",
      headers: { "Auto-Submitted": "auto-replied" },
    });
    expect(auto.outcome).toBe("created");
    const out = (await admin.get("/api/v1/mail/outbound")).json().items;
    expect(out.filter((o: { ticketId: string }) => o.ticketId === auto.ticketId)).toHaveLength(0);

    // An agent replies by mail; the requester's server bounces it.
    const human = await deliver({ from, to: address, subject: "Disk full", text: "C: is full." });
    const reply = await agent.post(`/api/v1/tickets/${human.ticketId}/articles`, {
      kind: "reply",
      body: "<p>Cleaned up.</p>",
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await mailReplies(t, human.ticketId as string);
    const [sent] = await t.deps.db
      .selectFrom("mail_outbound")
      .selectAll()
      .where("ticket_id", "=", human.ticketId as string)
      .where("kind", "=", "reply")
      .execute();
    expect(sent).toBeDefined();
    expect(sent?.state).toBe("queued");

    const dsn = Buffer.from(
      [
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>",
        `To: ${address}`,
        "Subject: Mail delivery failed: returning message to sender",
        `Message-ID: <${unique("dsn")}@mx.example>`,
        "Auto-Submitted: auto-replied",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"',
        "MIME-Version: 1.0",
        "",
        "--DSN",
        "Content-Type: text/plain",
        "",
        "A message that you sent could not be delivered to one or more of its recipients.",
        "",
        "--DSN",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example",
        "",
        `Final-Recipient: rfc822;${from}`,
        "Action: failed",
        "Status: 5.1.1",
        "",
        "--DSN",
        "Content-Type: text/rfc822-headers",
        "",
        `Message-ID: <${sent?.message_id}>`,
        `To: ${from}`,
        "Subject: Re: Disk full",
        "",
        "--DSN--",
        "",
      ].join("\r\n"),
    );
    const tickets = await t.deps.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const bounce = await receive(t.deps, { mailboxId, raw: dsn, envelope: { mailFrom: "" } });
    expect(bounce).toMatchObject({ outcome: "bounce", ticketId: human.ticketId });
    const after = await t.deps.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(tickets.n);
    const notes = (await agent.get(`/api/v1/tickets/${human.ticketId}/articles`)).json().items;
    const note = notes.find((a: { kind: string; channel: string }) => a.kind === "note" && a.channel === "email");
    expect(note.body).toContain(`Delivery failed to ${from}`);
    const failed = (await admin.get("/api/v1/mail/outbound?state=failed")).json().items;
    expect(failed.map((o: { id: string }) => o.id)).toContain(sent?.id);
    const acks = (await admin.get("/api/v1/mail/outbound")).json().items;
    expect(
      acks.filter(
        (o: { ticketId: string; kind: string }) => o.ticketId === human.ticketId && o.kind === "acknowledgement",
      ),
    ).toHaveLength(1);
  });

  it("stops automatic mail to one address at the caps", async () => {
    const from = `${unique("loop")}@${domain}`;
    const outcomes = [];
    for (let i = 0; i < 12; i++) {
      const r = await deliver({ from, to: address, subject: `Loop ${i}`, text: "ping" });
      outcomes.push(r.outcome);
    }
    expect(outcomes.every((o) => o === "created")).toBe(true);
    const mails = await t.deps.db
      .selectFrom("mail_outbound")
      .selectAll()
      .where(sql<boolean>`${from} = any(recipients)`)
      .execute();
    expect(mails).toHaveLength(12);
    // 40 a day per address is the default; these 12 are within it, so all are queued.
    expect(mails.every((m) => m.state === "queued")).toBe(true);
    await t.deps.db
      .updateTable("settings")
      .set({ value: JSON.stringify({ perAddressPerDay: 12, perTicketPer10Min: 10 }) })
      .where("key", "=", "mail.limits")
      .execute();
    const r = await deliver({ from, to: address, subject: "Loop 13", text: "ping" });
    const capped = await t.deps.db
      .selectFrom("mail_outbound")
      .selectAll()
      .where("ticket_id", "=", r.ticketId as string)
      .execute();
    expect(capped[0]).toMatchObject({ state: "suppressed" });
    expect(capped[0]?.last_error).toMatch(/already had 12 automatic mails in 24 hours/);
    await t.deps.db
      .updateTable("settings")
      .set({ value: JSON.stringify({}) })
      .where("key", "=", "mail.limits")
      .execute();
  });
});

describe("SMTP listener and outgoing mail", () => {
  let t: TestApp;
  let admin: Client;
  let agent: Client;
  let listener: SMTPServer;
  let sink: SMTPServer;
  const captured: Buffer[] = [];
  let listenPort: number;
  const address = `${unique("help")}@steward.test`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await adminClient(t);
    const agentUser = await createUser(admin, { kind: "agent" });
    const group = await admin.post("/api/v1/groups", { name: unique("Help"), memberIds: [agentUser.id] });
    agent = await signIn(t, agentUser.email);
    await admin.patch(`/api/v1/groups/${group.json().id}`, { signature: "Help desk\nExt. 1234", version: 1 });
    await admin.post("/api/v1/mailboxes", {
      kind: "smtp",
      name: "Help",
      address,
      groupId: group.json().id,
      ticketType: "incident",
      acknowledge: true,
    });
    listenPort = await freePort();
    listener = await startSmtpListener(t.deps, `127.0.0.1:${listenPort}`, "127.0.0.1");
    const sinkPort = await freePort();
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _s, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          captured.push(Buffer.concat(chunks));
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => sink.listen(sinkPort, "127.0.0.1", resolve));
    const put = await admin.put("/api/v1/settings/smtp", {
      host: "127.0.0.1",
      port: sinkPort,
      secure: "plain",
      user: null,
      from: `noreply@steward.test`,
      version: 1,
    });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => {
    await new Promise<void>((r) => listener?.close(() => r()));
    await new Promise<void>((r) => sink?.close(() => r()));
    await t?.close();
  });

  it("accepts mail for its mailboxes over SMTP, refuses other recipients, and replies go out threaded", async () => {
    const client = nodemailer.createTransport({ host: "127.0.0.1", port: listenPort, secure: false, ignoreTLS: true });
    await expect(
      client.sendMail({ from: "x@example.org", to: "nobody@steward.test", subject: "hi", text: "hi" }),
    ).rejects.toThrow(/550/);
    const customer = `${unique("lee")}@example.org`;
    const messageId = `<${unique("smtp")}@example.org>`;
    const info = await client.sendMail({
      from: `"Lee\r\nBcc: evil@example.com" <${customer}>`,
      to: address,
      subject: "Cannot log in\r\nBcc: evil@example.com",
      text: "Password rejected.",
      messageId,
    });
    expect(info.response).toMatch(/^250 accepted: created/);
    const row = await t.deps.db
      .selectFrom("mail_messages")
      .select("ticket_id")
      .where("message_id", "=", messageId.slice(1, -1))
      .executeTakeFirstOrThrow();
    const ticketId = row.ticket_id as string;
    const ticket = (await agent.get(`/api/v1/tickets/${ticketId}`)).json();

    await agent.post(`/api/v1/tickets/${ticketId}/articles`, { kind: "note", body: "<p>internal only</p>" });
    await agent.post(`/api/v1/tickets/${ticketId}/articles`, { kind: "reply", body: "<p>Reset it for you.</p>" });
    await mailReplies(t, ticketId);
    await mailReplies(t, ticketId); // a redelivered event sends nothing twice
    await sendQueued(t.deps);
    expect(captured.length).toBeGreaterThanOrEqual(1);
    const mails = await Promise.all(captured.map((c) => simpleParser(c)));
    const ack = mails.find((m) => m.headers.get("auto-submitted"));
    expect(ack?.headers.get("auto-submitted")).toMatch(/auto-replied/);
    expect(ack?.to && "text" in ack.to ? ack.to.text : "").toContain(customer);
    expect(ack?.subject).toContain(`[${ticket.number}]`);
    expect(ack?.inReplyTo).toBe(messageId);
    for (const c of captured) {
      expect(c.toString()).not.toMatch(/^Bcc:/im);
      expect(c.toString()).not.toContain("internal only");
    }
  });
});
