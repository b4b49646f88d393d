import type { Article, ArticleCreate } from "../../../common/tickets.ts";
import { WORKFLOWS } from "../../../common/workflows.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { ArticleRow, TicketRow } from "../../db/types.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid } from "../../platform/errors.ts";
import { recordChange, recordEvent } from "../../platform/events.ts";
import { sanitizeRichText, textOf } from "../../platform/html.ts";
import { userSummaries } from "../identity/index.ts";
import { canNote, canReply, type TicketAccess } from "./policy.ts";
import { type Author, presentArticle, presentTicket } from "./presenters.ts";
import * as repo from "./repository.ts";
import { loadAccess, readableTicket, snapshot, systemEvent } from "./service.ts";
import { afterTicketChange } from "./sla.ts";

/**
 * A public reply or an internal note. An agent's first reply is the first
 * response; a customer's reply reopens a resolved incident and takes a ticket
 * that waited for the customer back into work.
 */
export async function addArticle(
  deps: Deps,
  ctx: RequestContext,
  ticketId: string,
  input: ArticleCreate,
): Promise<Article> {
  const { actor } = ctx;
  if (actor.kind === "customer" && input.timeSpentMinutes !== undefined) {
    throw new Invalid([{ field: "body.timeSpentMinutes", message: "recorded by agents only" }]);
  }
  const body = sanitizeRichText(input.body);
  const bodyText = textOf(body);
  if (!bodyText) throw new Invalid([{ field: "body.body", message: "has no text once cleaned" }]);
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, actor);
    const { row, watcherIds } = await readableTicket(tx, access, ticketId, true);
    if (input.kind === "note" ? !canNote(access, row) : !canReply(access, row)) {
      throw new Forbidden(input.kind === "note" ? "Only agents add internal notes" : "You cannot reply to this ticket");
    }
    const article = await appendArticle(
      tx,
      ctx,
      { row, watcherIds, access },
      {
        kind: input.kind,
        authorId: actor.id,
        authorKind: actor.kind,
        body,
        bodyText,
        timeSpentMinutes: input.timeSpentMinutes,
        reopen: "resolved_incident",
        at: deps.now(),
      },
    );
    return presentArticle(article, await authorsOf(tx, [actor.id]));
  });
}

/**
 * Writes a reply or note on a ticket the caller has read and locked, with its effects: audit,
 * event, first response, and a customer's reply reopening a resolved ticket (`resolved_incident`:
 * incidents only, as on the web; `resolved`: any type, as by e-mail; `closed_too`: closed as well)
 * or taking a ticket that waited for the customer back into work.
 */
export async function appendArticle(
  tx: Tx,
  ctx: RequestContext,
  target: { row: TicketRow; watcherIds: string[]; access: TicketAccess },
  input: {
    kind: "reply" | "note";
    authorId: string | null;
    authorKind: "agent" | "customer";
    body: string;
    bodyText: string;
    timeSpentMinutes?: number | undefined;
    channel?: "web" | "email";
    mail?: Record<string, unknown> | null;
    reopen: "resolved_incident" | "resolved" | "closed_too";
    at: Date;
  },
): Promise<ArticleRow> {
  const { row, watcherIds, access } = target;
  const ticketId = row.id;
  const now = input.at;
  const article = await repo.insertArticle(tx, {
    ticketId,
    kind: input.kind,
    authorId: input.authorId,
    body: input.body,
    bodyText: input.bodyText,
    timeSpentMinutes: input.timeSpentMinutes,
    source: ctx.source,
    channel: input.channel ?? "web",
    mail: input.mail ?? null,
    at: now,
  });
  await appendAudit(tx, ctx, {
    action: `ticket.${input.kind}_added`,
    entityType: "ticket",
    entityId: ticketId,
    changes: {
      article: [null, article.id],
      ...(input.timeSpentMinutes ? { timeSpentMinutes: [null, input.timeSpentMinutes] } : {}),
    },
  });
  await recordEvent(tx, ctx, {
    type: "ticket.article_added",
    entityType: "ticket",
    entityId: ticketId,
    payload: { articleId: article.id, kind: input.kind, authorKind: input.authorKind, channel: input.channel ?? "web" },
  });

  // Effects on the ticket itself.
  const set: Record<string, unknown> = {};
  if (input.kind === "reply" && input.authorKind === "agent" && !row.first_response_at) set.first_response_at = now;
  if (input.kind === "reply" && input.authorKind === "customer") {
    const reopen =
      row.state_type === "resolved"
        ? input.reopen !== "resolved_incident" || row.type === "incident"
        : row.state_type === "closed" && input.reopen === "closed_too";
    const resume = row.state_type === "pending" && row.hold_reason === "awaiting_customer";
    if (reopen || resume) {
      const workState = firstOpenState(row.type);
      Object.assign(set, { state: workState, state_type: "open", hold_reason: null, resolved_at: null });
      if (row.state_type === "closed") set.closed_at = null;
    }
  }
  if (Object.keys(set).length) {
    const updated = await tx
      .updateTable("tickets")
      .set({ ...set, version: row.version + 1, updated_at: now })
      .where("id", "=", ticketId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changes = await recordChange(tx, ctx, {
      entityType: "ticket",
      entityId: ticketId,
      action: "updated",
      before: snapshot(presentTicket(row, watcherIds, access)),
      after: snapshot(presentTicket(updated, watcherIds, access)),
    });
    await systemEvent(tx, ctx, ticketId, changes, now);
    await afterTicketChange(tx, ctx, updated, now);
  } else if (input.kind === "reply") {
    // A reply starts or stops the next-response clock even when the ticket itself does not change.
    await afterTicketChange(tx, ctx, row, now);
  }
  return article;
}

function firstOpenState(type: TicketRow["type"]): string {
  const states = WORKFLOWS[type].states;
  return Object.keys(states).find((s) => states[s] === "open") ?? WORKFLOWS[type].initial;
}

async function authorsOf(db: Executor, ids: string[]): Promise<Map<string, Author>> {
  return new Map((await userSummaries(db, ids)).map((u) => [u.id, { name: u.name, kind: u.kind }]));
}

/** The timeline: customers see public replies only; agents everything. */
export async function listArticles(deps: Deps, ctx: RequestContext, ticketId: string): Promise<{ items: Article[] }> {
  const access = await loadAccess(deps.db, ctx.actor);
  await readableTicket(deps.db, access, ticketId);
  const kinds: ("reply" | "note" | "system")[] =
    ctx.actor.kind === "customer" ? ["reply"] : ["reply", "note", "system"];
  const rows = await repo.listArticles(deps.db, ticketId, kinds);
  const authorIds = [...new Set(rows.map((r) => r.author_id).filter((v): v is string => !!v))];
  const authors = await authorsOf(deps.db, authorIds);
  return { items: rows.map((r) => presentArticle(r, authors)) };
}
