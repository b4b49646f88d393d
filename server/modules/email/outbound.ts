import { randomUUID } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { inTransaction, type Tx } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import { getBlob } from "../../platform/blobs.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { type DomainEvent, recordEvent } from "../../platform/events.ts";
import { escapeHtml, textOf } from "../../platform/html.ts";
import type { Consumer, Poller } from "../../platform/jobs.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { articleMail, type MailTicket, setArticleMail, ticketById } from "../tickets/index.ts";
import { headerValue, withTicketTag } from "./headers.ts";
import { autoSubmittedHeaders } from "./loop.ts";
import type { Address } from "./parse.ts";
import { mailLimits, ownAddresses, type StoredSmtp, storedSmtp } from "./settings.ts";

/** A rendered message as stored in `mail_outbound.message`. */
interface StoredMessage {
  from: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  text: string;
  html: string;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
  attachmentIds: string[];
}

const MAX_ATTEMPTS = 5;

/**
 * Queues one mail in the caller's transaction. One `dedupeKey` (an event, an article) sends at
 * most one mail. Automatic mail is never sent to Steward's own addresses and stops at the
 * per-recipient caps (then admins find it suppressed, with the reason, and in the audit log).
 */
export async function queueMail(
  deps: Deps,
  tx: Tx,
  m: {
    kind: "reply" | "acknowledgement" | "notification" | "password_reset";
    automatic: "auto-generated" | "auto-replied" | null;
    ticketId: string | null;
    articleId: string | null;
    from: Address;
    to: Address[];
    cc?: Address[];
    subject: string;
    html: string;
    text?: string;
    inReplyTo?: string | null;
    references?: string[];
    attachmentIds?: string[];
    dedupeKey: string;
    /**
     * Whether the per-recipient caps apply (default: to all automatic mail). Notifications to
     * Steward's own users are not answers to anyone's mail, so they are not capped.
     */
    capped?: boolean;
  },
): Promise<{ id: string; messageId: string; state: "queued" | "suppressed" } | null> {
  const now = deps.now();
  const domain = m.from.address.slice(m.from.address.lastIndexOf("@") + 1) || "steward.invalid";
  const messageId = `${randomUUID()}@${domain}`;
  let suppressed: string | null = null;
  if (m.automatic && m.capped !== false) {
    const own = await ownAddresses(tx);
    const caps = await mailLimits(tx);
    for (const r of [...m.to, ...(m.cc ?? [])]) {
      if (own.has(r.address)) suppressed = `${r.address} is Steward's own address`;
      else suppressed ??= await capReached(tx, r.address, m.ticketId, now, caps);
    }
  }
  const message: StoredMessage = {
    from: { name: headerValue(m.from.name, 200), address: headerValue(m.from.address, 254) },
    to: m.to.map(cleanAddress),
    cc: (m.cc ?? []).map(cleanAddress),
    subject: headerValue(m.subject),
    text: m.text ?? textOf(m.html),
    html: m.html,
    inReplyTo: m.inReplyTo ? headerValue(m.inReplyTo, 250) : null,
    references: (m.references ?? []).slice(-20).map((r) => headerValue(r, 250)),
    headers: m.automatic ? autoSubmittedHeaders(m.automatic) : {},
    attachmentIds: m.attachmentIds ?? [],
  };
  const row = await tx
    .insertInto("mail_outbound")
    .values({
      dedupe_key: m.dedupeKey,
      kind: m.kind,
      automatic: m.automatic !== null,
      ticket_id: m.ticketId,
      article_id: m.articleId,
      recipients: [...message.to, ...message.cc].map((a) => a.address),
      message_id: messageId,
      subject: message.subject,
      message: JSON.stringify(message),
      state: suppressed ? "suppressed" : "queued",
      last_error: suppressed,
      created_at: now,
      updated_at: now,
      next_attempt_at: now,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning(["id", "state"])
    .executeTakeFirst();
  if (!row) return null;
  await tx
    .insertInto("mail_messages")
    .values({
      message_id: messageId,
      direction: "out",
      mailbox_id: null,
      ticket_id: m.ticketId,
      article_id: m.articleId,
      outcome: m.kind,
      sender: message.from.address,
      subject: message.subject,
      created_at: now,
    })
    .execute();
  if (m.automatic && m.capped !== false && !suppressed) {
    for (const r of [...message.to, ...message.cc]) {
      await tx
        .insertInto("mail_auto_log")
        .values({ address: r.address, ticket_id: m.ticketId, created_at: now })
        .execute();
    }
  }
  if (suppressed) {
    deps.log.warn({ to: row.id, reason: suppressed }, "automatic mail suppressed");
    await appendAudit(tx, systemContext([], "email"), {
      action: "mail.suppressed",
      entityType: "mail_outbound",
      entityId: row.id,
      changes: { reason: [null, suppressed], recipients: [null, message.to.map((a) => a.address)] },
    });
    // Admins are told (notification rule `mail_suppressed`).
    await recordEvent(tx, systemContext([], "email"), {
      type: "mail.suppressed",
      entityType: "mail_outbound",
      entityId: row.id,
      payload: { addresses: message.to.map((a) => a.address), reason: suppressed, day: now.toISOString().slice(0, 10) },
    });
  }
  return { id: row.id, messageId, state: suppressed ? "suppressed" : "queued" };
}

function cleanAddress(a: Address): Address {
  return { name: headerValue(a.name, 200), address: headerValue(a.address, 254).toLowerCase() };
}

async function capReached(
  tx: Tx,
  address: string,
  ticketId: string | null,
  now: Date,
  caps: { perTicketPer10Min: number; perAddressPerDay: number },
): Promise<string | null> {
  const day = await tx
    .selectFrom("mail_auto_log")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("address", "=", address)
    .where("created_at", ">", new Date(now.getTime() - 86_400_000))
    .executeTakeFirstOrThrow();
  if (Number(day.n) >= caps.perAddressPerDay) {
    return `${address} already had ${caps.perAddressPerDay} automatic mails in 24 hours`;
  }
  if (ticketId) {
    const recent = await tx
      .selectFrom("mail_auto_log")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("address", "=", address)
      .where("ticket_id", "=", ticketId)
      .where("created_at", ">", new Date(now.getTime() - 600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= caps.perTicketPer10Min) {
      return `${address} already had ${caps.perTicketPer10Min} automatic mails about this ticket in 10 minutes`;
    }
  }
  return null;
}

/** The address a group's mail goes out from: its first active mailbox, else the transport's sender. */
async function senderFor(tx: Tx, groupId: string | null): Promise<Address | null> {
  if (groupId) {
    const mailbox = await tx
      .selectFrom("mailboxes")
      .innerJoin("groups", "groups.id", "mailboxes.group_id")
      .select(["mailboxes.address", "groups.name"])
      .where("mailboxes.group_id", "=", groupId)
      .where("mailboxes.active", "=", true)
      .orderBy("mailboxes.created_at")
      .limit(1)
      .executeTakeFirst();
    if (mailbox) return { name: mailbox.name, address: mailbox.address };
  }
  const smtp = await storedSmtp(tx);
  return smtp.from ? { name: "Service Desk", address: smtp.from } : null;
}

/** The acknowledgement of a new ticket to its requester (RFC 3834 `auto-replied`). */
export async function queueAcknowledgement(
  deps: Deps,
  tx: Tx,
  a: {
    ticket: MailTicket;
    to: Address;
    inReplyTo: string;
    references: string[];
    mailboxAddress: string;
    subject: string;
    dedupeKey: string;
  },
): Promise<void> {
  const group = a.ticket.groupId
    ? await tx.selectFrom("groups").select(["name"]).where("id", "=", a.ticket.groupId).executeTakeFirst()
    : undefined;
  const from = { name: group?.name ?? "Service Desk", address: a.mailboxAddress };
  const html =
    `<p>Thank you for your message. We have opened ticket <strong>${escapeHtml(a.ticket.number)}</strong>: ` +
    `${escapeHtml(a.ticket.title)}.</p><p>Reply to this mail to add to it; keep the number in the subject.</p>`;
  await queueMail(deps, tx, {
    kind: "acknowledgement",
    automatic: "auto-replied",
    ticketId: a.ticket.id,
    articleId: null,
    from,
    to: [a.to],
    subject: withTicketTag(`Re: ${a.subject || a.ticket.title}`, a.ticket.number),
    html,
    inReplyTo: a.inReplyTo,
    references: a.references,
    dedupeKey: a.dedupeKey,
  });
}

/**
 * An agent's public reply on a ticket that came in by e-mail goes back to the requester by mail,
 * from the group's address, threaded under the last message, with the group's signature.
 */
export function replyMailConsumer(deps: Deps): Consumer {
  return {
    name: "email-agent-replies",
    events: ["ticket.article_added"],
    async handle(tx, event: DomainEvent) {
      const p = event.payload as { articleId?: string; kind?: string; authorKind?: string; channel?: string };
      if (p.kind !== "reply" || p.authorKind !== "agent" || p.channel === "email" || !p.articleId) return;
      const ticket = await ticketById(tx, event.entityId);
      if (!ticket?.requesterId) return;
      const thread = await tx
        .selectFrom("mail_messages")
        .select(["message_id", "subject", "direction"])
        .where("ticket_id", "=", ticket.id)
        .orderBy("created_at")
        .limit(200)
        .execute();
      const inbound = thread.filter((t) => t.direction === "in");
      if (inbound.length === 0) return;
      const requester = await tx
        .selectFrom("users")
        .select(["email", "name", "active"])
        .where("id", "=", ticket.requesterId)
        .executeTakeFirst();
      const article = await articleMail(tx, p.articleId);
      if (!requester?.active || !article) return;
      const body = await tx
        .selectFrom("ticket_articles")
        .select("body")
        .where("id", "=", p.articleId)
        .executeTakeFirst();
      const from = await senderFor(tx, ticket.groupId);
      if (!from) {
        deps.log.warn({ ticketId: ticket.id }, "no sender address: set the SMTP sender or a mailbox for the group");
        return;
      }
      const group = ticket.groupId
        ? await tx.selectFrom("groups").select("signature").where("id", "=", ticket.groupId).executeTakeFirst()
        : undefined;
      const signature = group?.signature?.trim()
        ? `<p>--<br>${escapeHtml(group.signature.trim()).replace(/\n/g, "<br>")}</p>`
        : "";
      const last = inbound[inbound.length - 1];
      const to = { name: requester.name, address: requester.email };
      const subject = withTicketTag(`Re: ${last?.subject || ticket.title}`, ticket.number);
      const queued = await queueMail(deps, tx, {
        kind: "reply",
        automatic: null,
        ticketId: ticket.id,
        articleId: p.articleId,
        from,
        to: [to],
        subject,
        html: `${body?.body ?? ""}${signature}`,
        inReplyTo: last?.message_id ?? null,
        references: thread.map((t) => t.message_id),
        dedupeKey: `reply:${p.articleId}`,
      });
      if (!queued) return;
      await setArticleMail(tx, p.articleId, {
        direction: "out",
        from,
        to: [to],
        cc: [],
        subject,
        messageId: queued.messageId,
        date: null,
        remoteImages: 0,
        attachments: [],
        delivery: { state: queued.state, error: null },
        hasSource: false,
        initial: false,
      });
    },
  };
}

let cached: { key: string; transport: Transporter } | null = null;

/** A nodemailer transport for the stored settings (rebuilt when they change). */
export function transportFor(smtp: StoredSmtp, box: SecretBox): Transporter {
  const key = JSON.stringify(smtp);
  if (cached?.key === key) return cached.transport;
  cached?.transport.close();
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure === "tls",
    requireTLS: smtp.secure === "starttls",
    ignoreTLS: smtp.secure === "plain",
    auth: smtp.user && smtp.password ? { user: smtp.user, pass: box.open(smtp.password) } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  cached = { key, transport };
  return transport;
}

/** Builds the nodemailer message of a stored mail (attachments from the blob store). */
async function nodemailerMessage(deps: Deps, messageId: string, m: StoredMessage) {
  const attachments = [];
  for (const id of m.attachmentIds) {
    const a = await deps.db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
    const data = a ? await getBlob(deps.db, a.sha256) : null;
    if (a && data)
      attachments.push({ filename: headerValue(a.filename, 200), content: data, contentType: a.content_type });
  }
  return {
    from: m.from,
    to: m.to,
    cc: m.cc.length ? m.cc : undefined,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: `<${messageId}>`,
    inReplyTo: m.inReplyTo ? `<${m.inReplyTo}>` : undefined,
    references: m.references.length ? m.references.map((r) => `<${r}>`) : undefined,
    headers: m.headers,
    attachments,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * Sends what is queued: claims rows (SKIP LOCKED), marks them `sending` before talking to the SMTP
 * server and `sent` after, so a crash in between leaves a visible `sending` mail rather than a
 * duplicate. Temporary failures are retried with back-off; permanent ones (5xx) fail at once.
 */
export async function sendQueued(deps: Deps, batch = 20): Promise<number> {
  const now = deps.now();
  const smtp = await storedSmtp(deps.db);
  // Mail stuck in `sending` for 10 minutes: the process died mid-send; say so instead of resending.
  await deps.db
    .updateTable("mail_outbound")
    .set({
      state: "failed",
      last_error: "interrupted while sending: check whether it arrived, then retry",
      updated_at: now,
    })
    .where("state", "=", "sending")
    .where("updated_at", "<", new Date(now.getTime() - 600_000))
    .execute();
  if (!smtp.host) return 0;
  const claimed = await inTransaction(deps.db, async (tx) => {
    const rows = await tx
      .selectFrom("mail_outbound")
      .selectAll()
      .where("state", "=", "queued")
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length) {
      await tx
        .updateTable("mail_outbound")
        .set((eb) => ({ state: "sending", attempts: eb("attempts", "+", 1), updated_at: now }))
        .where(
          "id",
          "in",
          rows.map((r) => r.id),
        )
        .execute();
    }
    return rows;
  });
  if (claimed.length === 0) return 0;
  const transport = transportFor(smtp, deps.secrets);
  for (const row of claimed) {
    const message = row.message as unknown as StoredMessage;
    let state: "sent" | "queued" | "failed" = "sent";
    let error: string | null = null;
    try {
      await transport.sendMail(await nodemailerMessage(deps, row.message_id, message));
    } catch (err) {
      const e = err as { responseCode?: number; message?: string };
      error = String(e.message ?? err).slice(0, 1000);
      const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
      state = permanent || row.attempts + 1 >= MAX_ATTEMPTS ? "failed" : "queued";
    }
    const at = deps.now();
    await inTransaction(deps.db, async (tx) => {
      await tx
        .updateTable("mail_outbound")
        .set({
          state,
          last_error: error,
          updated_at: at,
          sent_at: state === "sent" ? at : null,
          next_attempt_at: new Date(at.getTime() + 30_000 * 2 ** row.attempts),
        })
        .where("id", "=", row.id)
        .execute();
      if (row.article_id) {
        const article = await articleMail(tx, row.article_id);
        if (article?.mail) {
          await setArticleMail(tx, row.article_id, {
            ...(article.mail as Record<string, unknown>),
            delivery: { state: state === "queued" ? "queued" : state, error },
          });
        }
      }
    });
    if (error) deps.log.warn({ mailId: row.id, state, error }, "outgoing mail not delivered");
  }
  return claimed.length;
}

export function outboundPoller(deps: Deps): Poller {
  return { name: "mail-outbound", everyMs: 2_000, run: () => sendQueued(deps) };
}
