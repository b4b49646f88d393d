/**
 * The e-mail intake against real mail programs on 127.0.0.1: Dovecot (IMAP, the LDA, a Sieve
 * vacation reply), swaks and mutt (SMTP clients), and Exim (a relay, and the bounces it sends).
 * Each run starts private instances (test/peers/*: configs, spools and logs in a temp dir, free
 * ports, the current user; the system's services are never used) and stops them after.
 * Each group is skipped where its programs are not installed (CI installs them:
 * apt-get install dovecot-imapd dovecot-lmtpd dovecot-sieve swaks mutt exim4-daemon-light).
 */
import fs from "node:fs";
import path from "node:path";
import type { ImapFlow } from "imapflow";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { MUTT, mutt, SWAKS, swaks } from "../../../test/peers/clients.ts";
import { DOVEADM, DOVECOT, DOVECOT_LDA, type Dovecot, SIEVEC, startDovecot } from "../../../test/peers/dovecot.ts";
import { EXIM, type Exim, startExim } from "../../../test/peers/exim.ts";
import { freePort, installed, scratchDir, until } from "../../../test/peers/programs.ts";
import type { Deps } from "../../platform/deps.ts";
import { fetchMailbox, imapClient } from "./imap.ts";
import { receive, replyMailConsumer, sendQueued, startSmtpListener } from "./index.ts";
import { imapCredentials, mailboxRow } from "./mailboxes.ts";

const has = {
  dovecot: installed(DOVECOT, DOVEADM, DOVECOT_LDA, SIEVEC),
  swaks: installed(SWAKS),
  mutt: installed(MUTT),
  exim: installed(EXIM),
};

type Mail = ConstructorParameters<typeof MailComposer>[0];

function compose(mail: Mail): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

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

/** The database as it is during an outage: reads still answer, but no transaction can start (so nothing commits). */
function withoutTransactions(db: Deps["db"]): Deps["db"] {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "transaction") {
        return () => {
          throw new Error("database unavailable");
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const SEEN = "\\Seen";

describe.skipIf(!Object.values(has).some(Boolean))("e-mail intake with real mail programs", () => {
  let t: TestApp;
  let admin: Client;
  let agent: Client;
  let scratch: string;
  let listener: SMTPServer | undefined;
  let listenPort: number;
  let deskId: string;
  let groupId: string;
  const desk = `${unique("desk")}@steward.test`;

  /** What the intake recorded for a Message-ID (without its angle brackets). */
  const messageRow = (messageId: string) =>
    t.deps.db.selectFrom("mail_messages").selectAll().where("message_id", "=", messageId).executeTakeFirst();
  const emailArticles = async (ticketId: string) =>
    ((await agent.get(`/api/v1/tickets/${ticketId}/articles`)).json().items as Article[]).filter(
      (a) => a.channel === "email",
    );
  const outbound = (ticketId: string) =>
    t.deps.db.selectFrom("mail_outbound").selectAll().where("ticket_id", "=", ticketId).orderBy("created_at").execute();
  const ticketCount = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom("tickets")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    scratch = scratchDir("steward-peers-");
    t = await createTestApp();
    admin = await adminClient(t);
    const agentUser = await createUser(admin, { kind: "agent" });
    const group = await admin.post("/api/v1/groups", { name: unique("Peers desk"), memberIds: [agentUser.id] });
    groupId = group.json().id;
    agent = await signIn(t, agentUser.email);
    const res = await admin.post("/api/v1/mailboxes", {
      kind: "smtp",
      name: "Desk",
      address: desk,
      groupId,
      ticketType: "incident",
      acknowledge: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    deskId = res.json().id;
    listenPort = await freePort();
    listener = await startSmtpListener(t.deps, `127.0.0.1:${listenPort}`, "127.0.0.1");
  });
  afterAll(async () => {
    if (listener) await new Promise<void>((r) => listener?.close(() => r()));
    await t?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe.skipIf(!has.dovecot)("Dovecot", () => {
    let dovecot: Dovecot;
    let client: ImapFlow | undefined;
    let imapId: string;
    const inbox = `${unique("support")}@steward.test`;
    const jane = `${unique("jane")}@customer.example`;
    /**
     * One poll of the watcher. It polls when the server has announced new mail (IDLE's EXISTS)
     * or on its timer; a NOOP first gives the session the same up-to-date view here (an IMAP
     * session sees mail delivered since its last command only at the end of its next one).
     */
    const poll = async (deps: Deps = t.deps) => {
      await client?.noop();
      return fetchMailbox(deps, client as ImapFlow, imapId, "INBOX", null);
    };
    const flagsOf = async (user: string, messageId: string) =>
      (await dovecot.messages(user)).find((m) => m.messageId === `<${messageId}>`)?.flags;

    beforeAll(async () => {
      const dir = path.join(scratch, "dovecot");
      fs.mkdirSync(dir);
      // Jane's vacation replies go by SMTP to Steward's listener (`submission_host`).
      dovecot = await startDovecot(dir, {
        users: { [inbox]: "imap-secret", [jane]: "jane-secret" },
        submission: listenPort,
      });
      const res = await admin.post("/api/v1/mailboxes", {
        kind: "imap",
        name: "IMAP desk",
        address: inbox,
        groupId,
        ticketType: "incident",
        imap: {
          host: "127.0.0.1",
          port: dovecot.imapPort,
          secure: "plain",
          user: inbox,
          password: "imap-secret",
          folder: "INBOX",
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      imapId = res.json().id;
      // Logged in with what Steward stored, the way the watcher does.
      const creds = imapCredentials(await mailboxRow(t.deps.db as never, imapId), t.deps.secrets);
      if (!creds) throw new Error("no IMAP credentials stored");
      client = imapClient(creds);
      client.on("error", () => {});
      await client.connect();
    });
    afterAll(async () => {
      await client?.logout().catch(() => client?.close());
      await dovecot?.stop();
    });

    it("takes the unseen messages over IMAP, threads the reply, and flags each \\Seen after its commit", async () => {
      const from = `${unique("ana")}@customer.example`;
      const ids = ["scanner", "starter", "re-scanner"].map((p) => `${unique(p)}@customer.example`);
      const [first, second, third] = ids as [string, string, string];
      const messages = [
        await compose({
          from: `Ana Alves <${from}>`,
          to: inbox,
          subject: "Scanner offline",
          text: "The scanner on floor 2 is offline.",
          messageId: `<${first}>`,
        }),
        await compose({
          from: `Ana Alves <${from}>`,
          to: inbox,
          subject: "New starter next week",
          text: "Please set up an account.",
          html: "<p>Please set up an <b>account</b>.</p>",
          attachments: [{ filename: "starter.csv", content: "name,start\nLee,Monday\n", contentType: "text/csv" }],
          messageId: `<${second}>`,
        }),
        await compose({
          from: `Ana Alves <${from}>`,
          to: inbox,
          subject: "Re: Scanner offline",
          text: "It works again, thanks.",
          messageId: `<${third}>`,
          inReplyTo: `<${first}>`,
          references: [`<${first}>`],
        }),
      ];
      for (const raw of messages) await dovecot.deliver(inbox, raw, from);
      const delivered = await dovecot.messages(inbox);
      expect(delivered.map((m) => m.messageId)).toEqual(ids.map((id) => `<${id}>`));
      expect(delivered.some((m) => m.flags.includes(SEEN))).toBe(false);

      expect(await poll()).toBe(3);

      const r1 = await messageRow(first);
      const r2 = await messageRow(second);
      const r3 = await messageRow(third);
      expect(r1).toMatchObject({ outcome: "created", mailbox_id: imapId });
      expect(r2).toMatchObject({ outcome: "created", mailbox_id: imapId });
      expect(r3).toMatchObject({ outcome: "appended", ticket_id: r1?.ticket_id });
      expect(r2?.ticket_id).not.toBe(r1?.ticket_id);
      const thread = await emailArticles(r1?.ticket_id as string);
      expect(thread.map((a) => a.mail.subject)).toEqual(["Scanner offline", "Re: Scanner offline"]);
      const ticket = (await agent.get(`/api/v1/tickets/${r2?.ticket_id}`)).json();
      expect(ticket.description).toContain("<b>account</b>");
      const [withFile] = await emailArticles(r2?.ticket_id as string);
      expect(withFile?.mail.attachments.map((a) => a.filename)).toEqual(["starter.csv"]);
      const file = await agent.get(`/api/v1/attachments/${withFile?.mail.attachments[0]?.id}`);
      expect(file.body).toBe("name,start\nLee,Monday\n");

      // Dovecot itself says all three are read now.
      const after = await dovecot.messages(inbox);
      expect(after.map((m) => [m.messageId, m.flags.includes(SEEN)])).toEqual(ids.map((id) => [`<${id}>`, true]));
      expect(await poll()).toBe(0);
    });

    it("after a crash between the commit and the \\Seen flag, the next poll is a duplicate: one article, then \\Seen", async () => {
      const from = `${unique("bo")}@customer.example`;
      const id = `${unique("crash")}@customer.example`;
      const subject = `Badge reader ${unique("door")}`;
      await dovecot.deliver(
        inbox,
        await compose({ from, to: inbox, subject, text: "It beeps red.", messageId: `<${id}>` }),
        from,
      );

      // What a poll does up to the commit (fetch the source, hand it to the intake); then the
      // process dies before it sets the flag.
      const imap = client as ImapFlow;
      await imap.noop();
      const lock = await imap.getMailboxLock("INBOX");
      let raw: Buffer | undefined;
      try {
        const [uid] = (await imap.search({ seen: false }, { uid: true })) || [];
        const msg = await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        raw = msg ? msg.source : undefined;
      } finally {
        lock.release();
      }
      if (!raw) throw new Error("the message was not fetched");
      const committed = await receive(t.deps, { mailboxId: imapId, raw });
      expect(committed.outcome).toBe("created");
      expect(await flagsOf(inbox, id)).not.toContain(SEEN); // fetching did not mark it read

      // The restarted worker finds it unread again.
      expect(await poll()).toBe(1);
      expect(await messageRow(id)).toMatchObject({
        outcome: "created",
        ticket_id: committed.ticketId,
        article_id: committed.articleId,
      });
      const tickets = await t.deps.db.selectFrom("tickets").select("id").where("title", "=", subject).execute();
      expect(tickets.map((r) => r.id)).toEqual([committed.ticketId]);
      expect(await emailArticles(committed.ticketId as string)).toHaveLength(1);
      expect(await flagsOf(inbox, id)).toContain(SEEN);
    });

    it("leaves a message unseen when its intake fails, and takes it on the next poll", async () => {
      const from = `${unique("cy")}@customer.example`;
      const id = `${unique("outage")}@customer.example`;
      await dovecot.deliver(
        inbox,
        await compose({
          from,
          to: inbox,
          subject: "Phone has no dial tone",
          text: "Since Monday.",
          messageId: `<${id}>`,
        }),
        from,
      );
      const down = { ...t.deps, db: withoutTransactions(t.deps.db) };
      await expect(poll(down)).rejects.toThrow(/database unavailable/);
      expect(await flagsOf(inbox, id)).not.toContain(SEEN);
      expect(await messageRow(id)).toBeUndefined();

      expect(await poll()).toBe(1);
      expect(await messageRow(id)).toMatchObject({ outcome: "created" });
      expect(await flagsOf(inbox, id)).toContain(SEEN);
    });

    it("takes a Sieve vacation reply as automatic mail: an article, and no acknowledgement sent back", async () => {
      dovecot.sieve(
        jane,
        'require "vacation";\nvacation :days 1 :subject "Out of the office" "I am away until Monday.";\n',
      );
      // Someone at the desk writes to Jane from the desk's address, outside Steward: Steward knows no thread of it.
      const id = `${unique("to-jane")}@steward.test`;
      await dovecot.deliver(
        jane,
        await compose({
          from: `Service Desk <${desk}>`,
          to: jane,
          subject: "Your laptop is ready",
          text: "Pick it up at the desk.",
          messageId: `<${id}>`,
        }),
        desk,
      );
      expect((await dovecot.messages(jane)).map((m) => m.messageId)).toContain(`<${id}>`);

      // Dovecot's vacation action submitted the reply to Steward's SMTP listener (MAIL FROM:<>).
      const row = await until(
        "the vacation reply",
        () =>
          t.deps.db
            .selectFrom("mail_messages")
            .selectAll()
            .where("sender", "=", jane)
            .where("direction", "=", "in")
            .executeTakeFirst(),
        10_000,
      ).catch((err) => {
        throw new Error(`${err.message}\n${dovecot.log()}`);
      });
      expect(row).toMatchObject({ outcome: "created", mailbox_id: deskId, subject: "Out of the office" });
      const [article] = await emailArticles(row.ticket_id as string);
      expect(article?.mail.from.address).toBe(jane);
      expect(article?.body).toContain("I am away until Monday.");
      const source = await agent.get(`/api/v1/tickets/${row.ticket_id}/articles/${article?.id}/source`);
      expect(source.body).toMatch(/^Auto-Submitted: auto-replied/im);
      expect(source.body).toContain(`In-Reply-To: <${id}>`);
      // A person's new mail is acknowledged (see the swaks test); the vacation reply is not.
      expect(await outbound(row.ticket_id as string)).toEqual([]);
    });
  });

  describe("SMTP clients", () => {
    it.skipIf(!has.swaks)(
      "swaks: a message, one with an attachment, and a reply by In-Reply-To, each answered after its commit",
      async () => {
        const from = `${unique("sam")}@customer.example`;
        const firstId = `${unique("swaks")}@customer.example`;
        const plain = await swaks(listenPort, [
          "--from",
          from,
          "--to",
          desk,
          "--header",
          "Subject: Wi-Fi in room 4 is down",
          "--header",
          `Message-Id: <${firstId}>`,
          "--body",
          "No connection since this morning.",
        ]);
        expect(plain.code, plain.transcript).toBe(0);
        const ticketId = /^250 accepted: created (\S+)$/.exec(plain.dataReply ?? "")?.[1];
        expect(ticketId, plain.transcript).toBeDefined();
        expect(await messageRow(firstId)).toMatchObject({ outcome: "created", ticket_id: ticketId });
        const ticket = (await agent.get(`/api/v1/tickets/${ticketId}`)).json();
        expect(ticket.title).toBe("Wi-Fi in room 4 is down");
        expect(ticket.description).toContain("No connection since this morning.");
        const acks = await outbound(ticketId as string);
        expect(acks.map((o) => [o.kind, o.automatic, o.recipients])).toEqual([["acknowledgement", true, [from]]]);

        const csv = path.join(scratch, "inventory.csv");
        fs.writeFileSync(csv, "asset,room\nAP-4,4\n");
        const attached = await swaks(listenPort, [
          "--from",
          from,
          "--to",
          desk,
          "--header",
          "Subject: Access point list",
          "--body",
          "The list is attached.",
          "--attach-type",
          "text/csv",
          "--attach",
          `@${csv}`,
        ]);
        const second = /^250 accepted: created (\S+)$/.exec(attached.dataReply ?? "")?.[1];
        expect(second, attached.transcript).toBeDefined();
        expect(second).not.toBe(ticketId);
        const [withFile] = await emailArticles(second as string);
        expect(withFile?.mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
          ["inventory.csv", "text/csv"],
        ]);
        const file = await agent.get(`/api/v1/attachments/${withFile?.mail.attachments[0]?.id}`);
        expect(file.body).toBe("asset,room\nAP-4,4\n");

        const reply = await swaks(listenPort, [
          "--from",
          from,
          "--to",
          desk,
          "--header",
          "Subject: Re: Wi-Fi in room 4 is down",
          "--header",
          `In-Reply-To: <${firstId}>`,
          "--body",
          "Now room 5 as well.",
        ]);
        expect(reply.dataReply, reply.transcript).toBe(`250 accepted: appended ${ticketId}`);
        const thread = await emailArticles(ticketId as string);
        expect(thread.map((a) => a.mail.subject)).toEqual(["Wi-Fi in room 4 is down", "Re: Wi-Fi in room 4 is down"]);
        expect(thread[1]?.body).toContain("Now room 5 as well.");
      },
    );

    it.skipIf(!has.mutt)("mutt: a message with an attachment, as a person's mail program sends it", async () => {
      const dir = path.join(scratch, "mutt");
      fs.mkdirSync(dir);
      const from = `${unique("mia")}@customer.example`;
      const subject = `Expense report ${unique("q3")}`;
      const pdf = path.join(dir, "report.pdf");
      fs.writeFileSync(pdf, "%PDF-1.4\n% not a real report\n");
      await mutt(dir, listenPort, {
        from: `Mia Mutt <${from}>`,
        to: desk,
        subject,
        body: "Please approve the attached report.\n",
        attach: pdf,
      });
      const row = await messageRow(
        (
          await t.deps.db
            .selectFrom("mail_messages")
            .select("message_id")
            .where("subject", "=", subject)
            .executeTakeFirstOrThrow()
        ).message_id,
      );
      expect(row).toMatchObject({ outcome: "created", sender: from, mailbox_id: deskId });
      const ticket = (await agent.get(`/api/v1/tickets/${row?.ticket_id}`)).json();
      expect(ticket.title).toBe(subject);
      expect(ticket.description).toContain("Please approve the attached report.");
      const requester = (await admin.get(`/api/v1/users/${ticket.requesterId}`)).json();
      expect(requester).toMatchObject({ email: from, name: "Mia Mutt", kind: "customer" });
      const [article] = await emailArticles(row?.ticket_id as string);
      expect(article?.mail.attachments.map((a) => a.filename)).toEqual(["report.pdf"]);
      const file = await agent.get(`/api/v1/attachments/${article?.mail.attachments[0]?.id}`);
      expect(file.body).toBe("%PDF-1.4\n% not a real report\n");
    });
  });

  describe.skipIf(!has.exim)("Exim", () => {
    let exim: Exim;
    const failDomain = "bad.example";

    beforeAll(async () => {
      const dir = path.join(scratch, "exim");
      fs.mkdirSync(dir);
      exim = await startExim(dir, { relayDomain: "steward.test", relayPort: listenPort, failDomain });
    });
    afterAll(async () => {
      await exim?.stop();
    });

    it("relays a burst of five messages: each taken exactly once, nothing left on Exim's queue", async () => {
      const sent = await Promise.all(
        [1, 2, 3, 4, 5].map(async (i) => {
          const from = `${unique(`user${i}`)}@other.example`;
          const id = `${unique(`burst${i}`)}@other.example`;
          const subject = `Burst ${i} ${unique("b")}`;
          return {
            from,
            id,
            subject,
            raw: await compose({ from, to: desk, subject, text: `Message ${i}.`, messageId: `<${id}>` }),
          };
        }),
      );
      for (const m of sent) await exim.enqueue(m.from, desk, m.raw);
      expect(await exim.queued()).toBe(5);
      // One queue run delivers all five to the listener, one after another on the connection.
      await exim.flush();
      expect(await exim.queued(), exim.log()).toBe(0);

      const rows = await t.deps.db
        .selectFrom("mail_messages")
        .selectAll()
        .where(
          "message_id",
          "in",
          sent.map((m) => m.id),
        )
        .execute();
      expect(rows.map((r) => r.outcome)).toEqual(["created", "created", "created", "created", "created"]);
      const ticketIds = new Set(rows.map((r) => r.ticket_id));
      expect(ticketIds.size).toBe(5);
      const tickets = await t.deps.db
        .selectFrom("tickets")
        .select("id")
        .where(
          "title",
          "in",
          sent.map((m) => m.subject),
        )
        .execute();
      expect(tickets).toHaveLength(5);
      // Exim's log: each delivered once, with the listener's answer naming its ticket; nothing deferred.
      const log = exim.log();
      for (const id of ticketIds) {
        expect(log.split(`C="250 accepted: created ${id}"`).length - 1, log).toBe(1);
      }
      expect(log).not.toMatch(new RegExp(`== ${desk.replace(/\./g, "\\.")}`));
    });

    it("a bounce from Exim for Steward's mail: a note on the ticket, the mail marked failed, no new ticket", async () => {
      const customer = `${unique("pat")}@${failDomain}`;
      const created = await receive(t.deps, {
        mailboxId: deskId,
        raw: await compose({ from: customer, to: desk, subject: "Monitor flickers", text: "Every few seconds." }),
      });
      expect(created.outcome).toBe("created");
      const ticketId = created.ticketId as string;
      const reply = await agent.post(`/api/v1/tickets/${ticketId}/articles`, {
        kind: "reply",
        body: "<p>Please try another cable.</p>",
      });
      expect(reply.statusCode, reply.body).toBe(201);
      await mailReplies(t, ticketId);
      const queued = await outbound(ticketId);
      expect(queued.map((o) => [o.kind, o.state])).toEqual([
        ["acknowledgement", "queued"],
        ["reply", "queued"],
      ]);

      // Steward's outgoing mail goes to Exim, which takes it, finds no such user, and returns a
      // DSN to the envelope sender (the desk's address), which it relays to Steward's listener.
      const settings = (await admin.get("/api/v1/settings/smtp")).json();
      const put = await admin.put("/api/v1/settings/smtp", {
        host: "127.0.0.1",
        port: exim.port,
        secure: "plain",
        user: null,
        from: "noreply@steward.test",
        version: settings.version,
      });
      expect(put.statusCode, put.body).toBe(200);
      const before = await ticketCount();
      let sent = 0;
      for (let n = await sendQueued(t.deps); n > 0; n = await sendQueued(t.deps)) sent += n; // all of the queue, in batches
      expect(sent).toBeGreaterThanOrEqual(2);
      const log = exim.log();
      for (const o of queued) expect(log, "Exim took Steward's mail").toContain(`id=${o.message_id}`);

      const failed = await until(
        "both bounces",
        async () => {
          const rows = await outbound(ticketId);
          return rows.every((r) => r.state === "failed") && rows;
        },
        15_000,
      ).catch((err) => {
        throw new Error(`${err.message}\n${exim.log()}`);
      });
      for (const o of failed) expect(o.last_error).toBe(`Delivery failed to ${customer} (status 5.0.0).`);
      const bounces = await t.deps.db
        .selectFrom("mail_messages")
        .selectAll()
        .where("ticket_id", "=", ticketId)
        .where("direction", "=", "in")
        .where("outcome", "=", "bounce")
        .execute();
      expect(bounces).toHaveLength(2);
      expect(bounces.every((b) => b.sender?.startsWith("mailer-daemon@"))).toBe(true);
      const notes = (await emailArticles(ticketId)).filter((a) => a.kind === "note");
      expect(notes).toHaveLength(2);
      for (const n of notes) expect(n.body).toContain(`Delivery failed to ${customer}`);
      // The agent's reply itself says it was not delivered, as for a refusal while sending.
      const replies = (await emailArticles(ticketId)).filter((a) => a.kind === "reply" && a.mail.direction === "out");
      expect(replies.map((a) => a.mail.delivery)).toEqual([
        { state: "failed", error: `Delivery failed to ${customer} (status 5.0.0).` },
      ]);
      expect(await ticketCount()).toBe(before);
      // Nothing automatic went back to the mailer daemon.
      const toDaemon = await t.deps.db
        .selectFrom("mail_outbound")
        .select("id")
        .where("subject", "like", "%Mail delivery failed%")
        .execute();
      expect(toDaemon).toEqual([]);
    });
  });
});

interface Article {
  id: string;
  kind: string;
  channel: string;
  body: string;
  mail: {
    direction: "in" | "out";
    delivery: { state: string; error: string | null } | null;
    subject: string;
    from: { address: string };
    attachments: { id: string; filename: string; contentType: string }[];
  };
}
