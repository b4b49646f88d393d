import { ticketNumber } from "../../../common/workflows.ts";
import type { Executor, Tx } from "../../db/database.ts";
import type { TicketRow } from "../../db/types.ts";
import { appendAudit } from "../../platform/audit.ts";
import { putBlob } from "../../platform/blobs.ts";
import type { RequestContext } from "../../platform/context.ts";
import { organizationSharesTickets } from "../identity/index.ts";
import { appendArticle } from "./articles.ts";
import { insertLink } from "./links.ts";
import type { TicketAccess } from "./policy.ts";
import * as repo from "./repository.ts";
import { insertTicket } from "./service.ts";

/** What the e-mail channel needs to know of a ticket to thread a message into it. */
export interface MailTicket {
  id: string;
  number: string;
  type: TicketRow["type"];
  title: string;
  stateType: TicketRow["state_type"];
  requesterId: string | null;
  organizationId: string | null;
  groupId: string | null;
  assigneeId: string | null;
}

function mailTicket(row: TicketRow): MailTicket {
  return {
    id: row.id,
    number: ticketNumber(row.type, row.number),
    type: row.type,
    title: row.title,
    stateType: row.state_type,
    requesterId: row.requester_id,
    organizationId: row.organization_id,
    groupId: row.group_id,
    assigneeId: row.assignee_id,
  };
}

/** A ticket by its number (`INC-000123`), or null. */
export async function ticketByNumber(db: Executor, text: string): Promise<MailTicket | null> {
  const parsed = repo.parseTicketNumber(text);
  if (!parsed) return null;
  const row = await db
    .selectFrom("tickets")
    .selectAll()
    .where("type", "=", parsed.type)
    .where("number", "=", parsed.number)
    .executeTakeFirst();
  return row ? mailTicket(row) : null;
}

export async function ticketById(db: Executor, id: string): Promise<MailTicket | null> {
  const row = await repo.findTicket(db, id, false);
  return row ? mailTicket(row) : null;
}

/**
 * May this sender add to this ticket by mail? Its requester, its watchers, agents, and people of
 * an organization that shares tickets. Anyone else starts a ticket of their own.
 */
export async function mayFollowUp(
  db: Executor,
  ticket: MailTicket,
  sender: { id: string; kind: "agent" | "customer"; organizationId: string | null },
): Promise<boolean> {
  if (sender.kind === "agent" || ticket.requesterId === sender.id) return true;
  const watchers = (await repo.watchersOf(db, [ticket.id])).get(ticket.id) ?? [];
  if (watchers.includes(sender.id)) return true;
  return (
    !!sender.organizationId &&
    sender.organizationId === ticket.organizationId &&
    (await organizationSharesTickets(db, sender.organizationId))
  );
}

/** A new ticket from a message: the mailbox's type, group and category; the sender as requester. */
export async function createMailTicket(
  tx: Tx,
  ctx: RequestContext,
  input: {
    type: TicketRow["type"];
    title: string;
    description: string;
    requesterId: string;
    organizationId: string | null;
    groupId: string;
    categoryId: string | null;
    /** The e-mail envelope of the message that opened it, kept as its first article. */
    mail: Record<string, unknown>;
    bodyText: string;
    at: Date;
  },
): Promise<{ ticket: MailTicket; articleId: string }> {
  const ticket = await insertTicket(tx, input.at, ctx, {
    type: input.type,
    title: input.title,
    description: input.description,
    impact: 3,
    urgency: 3,
    requesterId: input.requesterId,
    organizationId: input.organizationId,
    groupId: input.groupId,
    categoryId: input.categoryId,
    enforceRequired: false,
  });
  const row = await repo.findTicket(tx, ticket.id, false);
  if (!row) throw new Error("the new ticket vanished");
  // The opening message: its body is the description; the article keeps the envelope and files.
  const article = await repo.insertArticle(tx, {
    ticketId: row.id,
    kind: "reply",
    authorId: input.requesterId,
    body: input.description,
    bodyText: input.bodyText,
    source: ctx.source,
    channel: "email",
    mail: input.mail,
    at: input.at,
  });
  return { ticket: mailTicket(row), articleId: article.id };
}

/**
 * Adds a message to a ticket as a reply (or, for bounces, an internal note), with the effects a
 * reply has: a customer's mail reopens a resolved ticket (and a closed one when `reopenClosed`).
 */
export async function addMailArticle(
  tx: Tx,
  ctx: RequestContext,
  ticketId: string,
  input: {
    kind: "reply" | "note";
    /** null: Steward itself (a bounce noted on the ticket). */
    author: { id: string; kind: "agent" | "customer" } | null;
    body: string;
    bodyText: string;
    mail: Record<string, unknown>;
    reopenClosed: boolean;
    at: Date;
  },
): Promise<{ articleId: string }> {
  const row = await repo.findTicket(tx, ticketId, true);
  if (!row) throw new Error(`ticket ${ticketId} vanished`);
  const watcherIds = (await repo.watchersOf(tx, [ticketId])).get(ticketId) ?? [];
  // The presenter only needs an access to compute abilities for the audit snapshot; none are shown.
  const access: TicketAccess = { actor: ctx.actor, groupIds: new Set(), organizationShared: false };
  const article = await appendArticle(
    tx,
    ctx,
    { row, watcherIds, access },
    {
      kind: input.kind,
      authorId: input.author?.id ?? null,
      authorKind: input.author?.kind ?? "agent",
      body: input.body,
      bodyText: input.bodyText,
      channel: "email",
      mail: input.mail,
      reopen: input.reopenClosed ? "closed_too" : "resolved",
      at: input.at,
    },
  );
  return { articleId: article.id };
}

/** The e-mail envelope of an article (delivery state of outgoing mail, attachments), replaced whole. */
export async function setArticleMail(db: Executor, articleId: string, mail: Record<string, unknown>): Promise<void> {
  await db
    .updateTable("ticket_articles")
    .set({ mail: JSON.stringify(mail), channel: "email" })
    .where("id", "=", articleId)
    .execute();
}

export async function articleMail(db: Executor, articleId: string) {
  return db
    .selectFrom("ticket_articles")
    .select(["id", "ticket_id", "kind", "mail", "author_id"])
    .where("id", "=", articleId)
    .executeTakeFirst();
}

/** Files that came with a message, stored by content and tied to the ticket and the article. */
export async function attachMailFiles(
  tx: Tx,
  ctx: RequestContext,
  ticketId: string,
  articleId: string | null,
  files: {
    id?: string;
    filename: string;
    contentType: string;
    data: Buffer;
    contentId: string | null;
    inline: boolean;
  }[],
  at: Date,
): Promise<
  { id: string; filename: string; contentType: string; size: number; inline: boolean; contentId: string | null }[]
> {
  const out = [];
  for (const f of files) {
    const sha256 = await putBlob(tx, f.data);
    const row = await tx
      .insertInto("attachments")
      .values({
        ...(f.id ? { id: f.id } : {}),
        ticket_id: ticketId,
        sha256,
        filename: f.filename,
        content_type: f.contentType,
        size: f.data.length,
        internal: false,
        uploaded_by: ctx.actor.via === "system" ? null : ctx.actor.id,
        article_id: articleId,
        content_id: f.contentId,
        inline: f.inline,
        created_at: at,
      })
      .returning(["id", "filename", "content_type", "size", "inline", "content_id"])
      .executeTakeFirstOrThrow();
    out.push({
      id: row.id,
      filename: row.filename,
      contentType: row.content_type,
      size: row.size,
      inline: row.inline,
      contentId: row.content_id,
    });
  }
  if (out.length) {
    await appendAudit(tx, ctx, {
      action: "ticket.attachment_added",
      entityType: "ticket",
      entityId: ticketId,
      changes: { attachments: [null, out.map((a) => ({ id: a.id, filename: a.filename, size: a.size }))] },
    });
  }
  return out;
}

/** Links a ticket opened by a reply to a closed one with the closed ticket (`related`). */
export async function linkRelated(tx: Tx, ctx: RequestContext, sourceId: string, targetId: string): Promise<void> {
  await insertLink(tx, ctx, sourceId, targetId, "related");
}
