import type { FastifyReply } from "fastify";
import type { z } from "zod";
import type {
  OutboundListQuerySchema,
  OutboundMailSchema,
  QuarantinedMail,
  QuarantineListQuerySchema,
} from "../../../common/email.ts";
import { inTransaction } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import { getBlob } from "../../platform/blobs.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, NotFound } from "../../platform/errors.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { readableTicketSummaries } from "../tickets/index.ts";
import { type IntakeResult, receive } from "./intake.ts";

interface QuarantineRow {
  id: string;
  mailbox_id: string | null;
  size: number;
  message_id: string | null;
  sender: string | null;
  subject: string | null;
  reason: string;
  state: "held" | "processed" | "discarded";
  attempts: number;
  ticket_id: string | null;
  received_at: Date;
  updated_at: Date;
}

function present(r: QuarantineRow): QuarantinedMail {
  return {
    id: r.id,
    mailboxId: r.mailbox_id,
    size: r.size,
    messageId: r.message_id,
    sender: r.sender,
    subject: r.subject,
    reason: r.reason,
    state: r.state,
    attempts: r.attempts,
    ticketId: r.ticket_id,
    receivedAt: r.received_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function listQuarantine(deps: Deps, query: z.infer<typeof QuarantineListQuerySchema>) {
  let q = deps.db.selectFrom("mail_quarantine").selectAll().where("state", "=", query.state);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    q = q.where((eb) =>
      eb.or([eb("received_at", "<", new Date(at)), eb.and([eb("received_at", "=", new Date(at)), eb("id", "<", id)])]),
    );
  }
  const rows = await q
    .orderBy("received_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const p = page(rows, query.limit, (r) => [r.received_at.toISOString(), r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}

async function quarantined(deps: Deps, id: string) {
  const row = await deps.db.selectFrom("mail_quarantine").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("Quarantined message");
  return row;
}

/** The raw source, as text, for an admin to read (never rendered). */
export async function quarantineRaw(deps: Deps, id: string, reply: FastifyReply) {
  const row = await quarantined(deps, id);
  const data = await getBlob(deps.db, row.raw_sha256);
  if (!data) throw new NotFound("Raw message");
  return sendSource(reply, data, `quarantine-${id}.eml`);
}

export function sendSource(reply: FastifyReply, data: Buffer, filename: string) {
  return reply
    .code(200)
    .header("content-type", "text/plain; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .send(data);
}

/** Runs a held message through the intake again (after the admin fixed what stopped it). */
export async function retryQuarantined(deps: Deps, ctx: RequestContext, id: string): Promise<IntakeResult> {
  const row = await quarantined(deps, id);
  if (row.state !== "held")
    throw new Conflict(`This message is already ${row.state}`, [{ field: "id", message: row.state }]);
  if (!row.mailbox_id)
    throw new Conflict("The mailbox it came through is gone", [{ field: "id", message: "no mailbox" }]);
  const raw = await getBlob(deps.db, row.raw_sha256);
  if (!raw) throw new NotFound("Raw message");
  const result = await receive(deps, { mailboxId: row.mailbox_id, raw, quarantineId: id });
  if (result.outcome === "duplicate") {
    await deps.db
      .updateTable("mail_quarantine")
      .set({ state: "processed", ticket_id: result.ticketId, updated_at: deps.now() })
      .where("id", "=", id)
      .execute();
  }
  await inTransaction(deps.db, (tx) =>
    appendAudit(tx, ctx, {
      action: "mail.quarantine_retried",
      entityType: "mail_quarantine",
      entityId: id,
      changes: { outcome: [null, result.outcome], ticketId: [null, result.ticketId] },
    }),
  );
  return result;
}

export async function discardQuarantined(deps: Deps, ctx: RequestContext, id: string): Promise<QuarantinedMail> {
  return inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("mail_quarantine").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("Quarantined message");
    if (row.state !== "held") {
      throw new Conflict(`This message is already ${row.state}`, [{ field: "id", message: row.state }]);
    }
    const updated = await tx
      .updateTable("mail_quarantine")
      .set({ state: "discarded", resolved_by: ctx.actor.id, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, ctx, {
      action: "mail.quarantine_discarded",
      entityType: "mail_quarantine",
      entityId: id,
      changes: { state: ["held", "discarded"], sender: [null, row.sender], subject: [null, row.subject] },
    });
    return present(updated);
  });
}

type OutboundMail = z.infer<typeof OutboundMailSchema>;

function presentOutbound(r: {
  id: string;
  kind: OutboundMail["kind"];
  automatic: boolean;
  ticket_id: string | null;
  article_id: string | null;
  recipients: string[];
  subject: string;
  message_id: string;
  state: OutboundMail["state"];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}): OutboundMail {
  return {
    id: r.id,
    kind: r.kind,
    automatic: r.automatic,
    ticketId: r.ticket_id,
    articleId: r.article_id,
    recipients: r.recipients,
    subject: r.subject,
    messageId: r.message_id,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

const OUTBOUND_COLUMNS = [
  "id",
  "kind",
  "automatic",
  "ticket_id",
  "article_id",
  "recipients",
  "subject",
  "message_id",
  "state",
  "attempts",
  "last_error",
  "created_at",
  "sent_at",
] as const;

export async function listOutbound(deps: Deps, query: z.infer<typeof OutboundListQuerySchema>) {
  let q = deps.db.selectFrom("mail_outbound").select(OUTBOUND_COLUMNS);
  if (query.state) q = q.where("state", "=", query.state);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    q = q.where((eb) =>
      eb.or([eb("created_at", "<", new Date(at)), eb.and([eb("created_at", "=", new Date(at)), eb("id", "<", id)])]),
    );
  }
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const p = page(rows, query.limit, (r) => [r.created_at.toISOString(), r.id]);
  return { items: p.items.map(presentOutbound), nextCursor: p.nextCursor };
}

/** A failed mail goes back to the queue (an admin decided it is safe to send again). */
export async function retryOutbound(deps: Deps, ctx: RequestContext, id: string): Promise<OutboundMail> {
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .selectFrom("mail_outbound")
      .select(OUTBOUND_COLUMNS)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound("Outgoing mail");
    if (row.state !== "failed") {
      throw new Conflict(`Only failed mail is retried; this one is ${row.state}`, [
        { field: "id", message: row.state },
      ]);
    }
    const updated = await tx
      .updateTable("mail_outbound")
      .set({ state: "queued", attempts: 0, next_attempt_at: deps.now(), updated_at: deps.now() })
      .where("id", "=", id)
      .returning(OUTBOUND_COLUMNS)
      .executeTakeFirstOrThrow();
    await appendAudit(tx, ctx, {
      action: "mail.outbound_retried",
      entityType: "mail_outbound",
      entityId: id,
      changes: { state: ["failed", "queued"] },
    });
    return presentOutbound(updated);
  });
}

/** The original message of an e-mail article, for agents who may read its ticket. */
export async function articleSource(
  deps: Deps,
  ctx: RequestContext,
  ticketId: string,
  articleId: string,
  reply: FastifyReply,
) {
  if (ctx.actor.kind !== "agent") throw new NotFound("Message source");
  const [readable] = await readableTicketSummaries(deps.db, ctx.actor, [ticketId]);
  if (!readable) throw new NotFound("Ticket");
  const row = await deps.db
    .selectFrom("mail_messages")
    .select(["raw_sha256"])
    .where("article_id", "=", articleId)
    .where("ticket_id", "=", ticketId)
    .where("raw_sha256", "is not", null)
    .executeTakeFirst();
  const data = row?.raw_sha256 ? await getBlob(deps.db, row.raw_sha256) : null;
  if (!data) throw new NotFound("Message source");
  return sendSource(reply, data, `message-${articleId}.eml`);
}
