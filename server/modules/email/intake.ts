import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import type { ParsedMail } from "mailparser";
import { PERMISSIONS } from "../../../common/permissions.ts";
import { inTransaction, type Tx } from "../../db/database.ts";
import type { MailboxesTable } from "../../db/types.ts";
import { putBlob, sha256Of } from "../../platform/blobs.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { escapeHtml, textOf, textToHtml } from "../../platform/html.ts";
import { type MailSender, userForSender } from "../identity/index.ts";
import {
  addMailArticle,
  articleMail,
  attachMailFiles,
  createMailTicket,
  linkRelated,
  type MailTicket,
  mayFollowUp,
  setArticleMail,
  ticketById,
  ticketByNumber,
} from "../tickets/index.ts";
import { headerValue, messageIdList, normalizeMessageId, ticketTag, withoutControls } from "./headers.ts";
import { mailText, sanitizeMailHtml } from "./html.ts";
import { type Classification, classify } from "./loop.ts";
import { queueAcknowledgement } from "./outbound.ts";
import { type Address, addressesOf, type MailLimits, parseMail, prescan, Unprocessable } from "./parse.ts";
import { mailLimits, ownAddresses } from "./settings.ts";

type MailboxRow = Selectable<MailboxesTable>;

export type IntakeOutcome = "created" | "appended" | "duplicate" | "bounce" | "quarantined";

export interface IntakeResult {
  outcome: IntakeOutcome;
  messageId: string | null;
  ticketId: string | null;
  articleId: string | null;
  quarantineId: string | null;
  reason: string | null;
}

/** How the message reached Steward: the SMTP envelope, when there was one. */
export interface Envelope {
  /** MAIL FROM; "" for the null reverse-path `<>`, undefined when unknown (IMAP). */
  mailFrom?: string | undefined;
  rcptTo?: string[];
}

/**
 * One inbound message, exactly once: it becomes a new ticket, a reply on the ticket it answers,
 * or a note on the ticket whose mail bounced, in one transaction together with the record of its
 * Message-ID (the same Message-ID never makes two articles). Whatever cannot be processed goes to
 * the quarantine with its raw source, so nothing is lost and the next message goes on. Callers
 * acknowledge the message to the mail server only after this returns.
 */
export async function receive(
  deps: Deps,
  input: { mailboxId: string; raw: Buffer; envelope?: Envelope; quarantineId?: string; oversize?: number },
): Promise<IntakeResult> {
  const { raw } = input;
  const mailbox = await deps.db
    .selectFrom("mailboxes")
    .selectAll()
    .where("id", "=", input.mailboxId)
    .executeTakeFirst();
  if (!mailbox) throw new Error(`mailbox ${input.mailboxId} does not exist`);
  const limits = await mailLimits(deps.db);
  if (input.oversize !== undefined) {
    const reason = `larger than ${limits.maxBytes} bytes (${input.oversize}); only its header is kept here, the message stays on the mail server`;
    return quarantine(deps, input, null, reason);
  }
  let parsed: ParsedMail;
  try {
    prescan(raw, limits);
    parsed = await parseMail(raw, limits);
  } catch (err) {
    return quarantine(deps, input, null, reasonOf(err));
  }
  const messageId = normalizeMessageId(parsed.messageId) ?? `${sha256Of(raw)}@steward.invalid`;
  try {
    const done = await inTransaction(deps.db, (tx) => intake(deps, tx, mailbox, parsed, raw, messageId, input, limits));
    if (input.quarantineId && done.outcome !== "duplicate") {
      await deps.db
        .updateTable("mail_quarantine")
        .set({ state: "processed", ticket_id: done.ticketId, updated_at: deps.now() })
        .where("id", "=", input.quarantineId)
        .execute();
    }
    deps.jobs.nudge();
    return done;
  } catch (err) {
    if (!(err instanceof Unprocessable)) deps.log.warn({ err, messageId }, "inbound mail quarantined");
    return quarantine(deps, input, parsed, reasonOf(err), messageId);
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof Unprocessable) return err.message;
  return `could not be processed: ${(err as Error)?.message ?? String(err)}`.slice(0, 1000);
}

async function intake(
  deps: Deps,
  tx: Tx,
  mailbox: MailboxRow,
  parsed: ParsedMail,
  raw: Buffer,
  messageId: string,
  input: { envelope?: Envelope },
  _limits: MailLimits,
): Promise<IntakeResult> {
  const now = deps.now();
  const claimed = await tx
    .insertInto("mail_messages")
    .values({
      message_id: messageId,
      direction: "in",
      mailbox_id: mailbox.id,
      outcome: "pending",
      sender: null,
      subject: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column("message_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!claimed) {
    const seen = await tx
      .selectFrom("mail_messages")
      .select(["ticket_id", "article_id"])
      .where("message_id", "=", messageId)
      .executeTakeFirst();
    return result("duplicate", messageId, seen?.ticket_id ?? null, seen?.article_id ?? null);
  }

  const returnPath = input.envelope?.mailFrom ?? headerReturnPath(parsed);
  const own = await ownAddresses(tx);
  const classification = classify(parsed, { returnPath }, own);
  const from = addressesOf(parsed.from)[0] ?? null;
  const subject = (parsed.subject ?? "").slice(0, 998);
  const rawSha = await putBlob(tx, raw);
  const record = (outcome: string, ticketId: string | null, articleId: string | null) =>
    tx
      .updateTable("mail_messages")
      .set({
        outcome,
        ticket_id: ticketId,
        article_id: articleId,
        sender: from?.address ?? null,
        subject,
        raw_sha256: rawSha,
      })
      .where("id", "=", claimed.id)
      .execute();

  if (classification.bounce) {
    const ticketId = await bounceTicket(tx, classification);
    let articleId: string | null = null;
    if (ticketId) {
      const ctx = mailContext(null);
      const b = classification.bounce;
      const text = `Delivery failed${b.recipients.length ? ` to ${b.recipients.join(", ")}` : ""}${b.status ? ` (status ${b.status})` : ""}.`;
      const body = await renderBody(parsed, () => null);
      ({ articleId } = await addMailArticle(tx, ctx, ticketId, {
        kind: "note",
        author: null,
        body: `<p>${escapeHtml(text)}</p>${body.html}`,
        bodyText: `${text} ${body.text}`.slice(0, 100_000),
        mail: envelopeOf(parsed, messageId, "in", body.blockedImages, [], false),
        reopenClosed: false,
        at: now,
      }));
      if (b.originalMessageId) {
        const failed = await tx
          .updateTable("mail_outbound")
          .set({ state: "failed", last_error: text, updated_at: now })
          .where("message_id", "=", b.originalMessageId)
          .where("state", "in", ["sent", "sending", "queued"])
          .returning("article_id")
          .execute();
        // The article of the bounced reply shows it was not delivered, as a refusal while sending does.
        for (const { article_id } of failed) {
          const article = article_id ? await articleMail(tx, article_id) : undefined;
          if (article_id && article?.mail) {
            await setArticleMail(tx, article_id, {
              ...(article.mail as Record<string, unknown>),
              delivery: { state: "failed", error: text },
            });
          }
        }
      }
    }
    await record(ticketId ? "bounce" : "bounce_unmatched", ticketId, articleId);
    return result("bounce", messageId, ticketId, articleId);
  }

  if (!from) throw new Unprocessable("no sender address (From)");
  const ctxSystem = mailContext(null);
  const sender = await userForSender(tx, ctxSystem, from, mailbox.unknown_senders === "create");
  if (!sender) throw new Unprocessable(`unknown sender ${from.address} (this mailbox holds mail from unknown senders)`);
  if (!sender.active) throw new Unprocessable(`the account of ${from.address} is deactivated`);
  const ctx = mailContext(sender);

  // Threading: the ticket tag in the subject, then the messages this one answers.
  let ticket = await threadOf(tx, parsed, subject);
  if (ticket && !(await mayFollowUp(tx, ticket, sender))) ticket = null;
  let previous: MailTicket | null = null;
  if (ticket && ticket.stateType === "closed" && mailbox.closed_replies === "new_ticket") {
    previous = ticket;
    ticket = null;
  }

  const files = attachmentsOf(parsed);
  const body = await renderBody(parsed, (cid) => {
    const f = files.find((x) => x.contentId === cid);
    return f ? `/api/v1/attachments/${f.id}/inline` : null;
  });
  const stored = files.map((f) => ({
    id: f.id,
    filename: f.filename,
    contentType: f.contentType,
    size: f.data.length,
    inline: f.inline,
  }));

  let outcome: "created" | "appended";
  let ticketId: string;
  let articleId: string;
  if (ticket) {
    outcome = "appended";
    ticketId = ticket.id;
    ({ articleId } = await addMailArticle(tx, ctx, ticket.id, {
      kind: "reply",
      author: { id: sender.id, kind: sender.kind },
      body: body.html,
      bodyText: body.text,
      mail: envelopeOf(parsed, messageId, "in", body.blockedImages, stored, false),
      reopenClosed: mailbox.closed_replies === "reopen",
      at: now,
    }));
  } else {
    outcome = "created";
    const created = await createMailTicket(tx, ctx, {
      type: mailbox.ticket_type,
      title: titleOf(subject),
      description: body.html,
      requesterId: sender.id,
      organizationId: sender.organizationId,
      groupId: mailbox.group_id,
      categoryId: mailbox.category_id,
      mail: envelopeOf(parsed, messageId, "in", body.blockedImages, stored, true),
      bodyText: body.text,
      at: now,
    });
    ticketId = created.ticket.id;
    articleId = created.articleId;
    if (previous) await linkRelated(tx, ctx, ticketId, previous.id);
    if (mailbox.acknowledge && !classification.automatic) {
      await queueAcknowledgement(deps, tx, {
        ticket: created.ticket,
        to: replyAddress(parsed, from),
        inReplyTo: messageId,
        references: [...messageIdList(parsed.references as string | string[] | undefined), messageId],
        mailboxAddress: mailbox.address,
        subject,
        dedupeKey: `ack:${claimed.id}`,
      });
    }
  }
  await attachMailFiles(tx, ctx, ticketId, articleId, files, now);
  await record(outcome, ticketId, articleId);
  return result(outcome, messageId, ticketId, articleId);
}

function result(
  outcome: IntakeOutcome,
  messageId: string | null,
  ticketId: string | null,
  articleId: string | null,
): IntakeResult {
  return { outcome, messageId, ticketId, articleId, quarantineId: null, reason: null };
}

/** The sender acting through mail: audit rows and articles name them. */
function mailContext(sender: MailSender | null): RequestContext {
  const actor: Actor = sender
    ? {
        id: sender.id,
        kind: sender.kind,
        admin: false,
        organizationId: sender.organizationId,
        permissions: new Set(PERMISSIONS),
        via: "mail",
      }
    : {
        id: "00000000-0000-0000-0000-000000000000",
        kind: "agent",
        admin: false,
        organizationId: null,
        permissions: new Set(PERMISSIONS),
        via: "system",
      };
  return { actor, requestId: `mail-${randomUUID()}`, source: "email" };
}

function headerReturnPath(parsed: ParsedMail): string | undefined {
  const v = parsed.headers.get("return-path");
  if (v === undefined) return undefined;
  const text = typeof v === "string" ? v : ((v as { text?: string }).text ?? "");
  const m = /<([^>]*)>/.exec(text);
  return (m ? (m[1] ?? "") : text).trim();
}

async function threadOf(tx: Tx, parsed: ParsedMail, subject: string): Promise<MailTicket | null> {
  const tag = ticketTag(subject);
  if (tag) {
    const byTag = await ticketByNumber(tx, tag);
    if (byTag) return byTag;
  }
  const ids = [
    ...messageIdList(parsed.inReplyTo),
    ...messageIdList(parsed.references as string | string[] | undefined),
  ];
  if (ids.length === 0) return null;
  const row = await tx
    .selectFrom("mail_messages")
    .select("ticket_id")
    .where("message_id", "in", ids)
    .where("ticket_id", "is not", null)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.ticket_id ? ticketById(tx, row.ticket_id) : null;
}

async function bounceTicket(tx: Tx, c: Classification): Promise<string | null> {
  const original = c.bounce?.originalMessageId;
  if (!original) return null;
  const row = await tx
    .selectFrom("mail_messages")
    .select("ticket_id")
    .where("message_id", "=", original)
    .executeTakeFirst();
  return row?.ticket_id ?? null;
}

interface MailFile {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
  contentId: string | null;
  inline: boolean;
}

/** Attachment names are metadata only: no paths, no control characters, bounded length. */
export function safeFilename(name: string | undefined, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = headerValue(withoutControls(base), 400).replace(/^\.+/, "");
  return (clean || fallback).slice(0, 200);
}

function attachmentsOf(parsed: ParsedMail): MailFile[] {
  return parsed.attachments
    .filter((a) => a.content && a.content.length > 0)
    .map((a, i) => {
      const contentId = a.contentId ? a.contentId.replace(/^<|>$/g, "") : null;
      const type = /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? "")
        ? a.contentType.toLowerCase()
        : "application/octet-stream";
      return {
        id: randomUUID(),
        filename: safeFilename(a.filename, `attachment-${i + 1}${type === "message/rfc822" ? ".eml" : ""}`),
        contentType: type,
        data: a.content,
        contentId,
        inline: a.contentDisposition === "inline" && !!contentId && a.related === true,
      };
    });
}

async function renderBody(
  parsed: ParsedMail,
  inline: (contentId: string) => string | null,
): Promise<{ html: string; text: string; blockedImages: number }> {
  if (parsed.html) {
    const clean = sanitizeMailHtml(parsed.html, { inline });
    const text = mailText(clean.html);
    if (text || clean.html.includes("<img")) return { html: clean.html, text, blockedImages: clean.blockedImages };
  }
  const plain = (parsed.text ?? "").replace(/\r\n/g, "\n").trim();
  const html = plain ? textToHtml(plain) : "";
  return { html: html || "<p>(no text)</p>", text: textOf(html) || "(no text)", blockedImages: 0 };
}

/** The subject without reply prefixes and the ticket tag, as a ticket title. */
function titleOf(subject: string): string {
  let s = subject.replace(/\[[A-Z]+-\d+\]/gi, " ");
  for (let i = 0; i < 5; i++) s = s.replace(/^\s*(re|aw|fw|fwd|wg|sv|vs)\s*(\[\d+\])?\s*:\s*/i, "");
  s = s.replace(/\s+/g, " ").trim();
  return (s || "(no subject)").slice(0, 300);
}

function replyAddress(parsed: ParsedMail, from: Address): Address {
  return addressesOf(parsed.replyTo)[0] ?? from;
}

function envelopeOf(
  parsed: ParsedMail,
  messageId: string,
  direction: "in" | "out",
  remoteImages: number,
  attachments: { id: string; filename: string; contentType: string; size: number; inline: boolean }[],
  initial: boolean,
): Record<string, unknown> {
  return {
    direction,
    from: addressesOf(parsed.from)[0] ?? null,
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    subject: (parsed.subject ?? "").slice(0, 998),
    messageId,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null,
    remoteImages,
    attachments,
    delivery: null,
    hasSource: true,
    initial,
  };
}

/** Keeps the raw source of what could not be processed; admins retry or discard it. */
async function quarantine(
  deps: Deps,
  input: { mailboxId: string; raw: Buffer; quarantineId?: string },
  parsed: ParsedMail | null,
  reason: string,
  messageId: string | null = null,
): Promise<IntakeResult> {
  const now = deps.now();
  const sender = parsed ? (addressesOf(parsed.from)[0]?.address ?? null) : sniffHeader(input.raw, "from");
  const subject = parsed ? (parsed.subject ?? null) : sniffHeader(input.raw, "subject");
  const id = await inTransaction(deps.db, async (tx) => {
    if (input.quarantineId) {
      await tx
        .updateTable("mail_quarantine")
        .set((eb) => ({ reason, attempts: eb("attempts", "+", 1), updated_at: now }))
        .where("id", "=", input.quarantineId as string)
        .execute();
      return input.quarantineId;
    }
    const sha = await putBlob(tx, input.raw);
    const row = await tx
      .insertInto("mail_quarantine")
      .values({
        mailbox_id: input.mailboxId,
        raw_sha256: sha,
        size: input.raw.length,
        message_id: messageId?.slice(0, 998) ?? null,
        sender: sender?.slice(0, 320) ?? null,
        subject: subject?.slice(0, 998) ?? null,
        reason,
        received_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
  return { outcome: "quarantined", messageId, ticketId: null, articleId: null, quarantineId: id, reason };
}

/** A header of a message that could not be parsed, read directly from the first lines (for the list). */
function sniffHeader(raw: Buffer, name: string): string | null {
  const head = raw.subarray(0, 16 * 1024).toString("latin1");
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(head);
  return m?.[1]?.trim().slice(0, 300) ?? null;
}
