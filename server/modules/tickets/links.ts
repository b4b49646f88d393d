import type { z } from "zod";
import type { LinkCreateSchema, LinkKindSchema, LinkSchema } from "../../../common/tickets.ts";
import { MERGED_STATE, ticketNumber } from "../../../common/workflows.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { TicketRow } from "../../db/types.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordChange, recordEvent } from "../../platform/events.ts";
import { canReadTicket, canUpdateTicket, type TicketAccess } from "./policy.ts";
import { presentTicket } from "./presenters.ts";
import * as repo from "./repository.ts";
import { loadAccess, readableTicket, snapshot, systemEvent } from "./service.ts";
import { afterTicketChange } from "./sla.ts";

type LinkKind = z.infer<typeof LinkKindSchema> | "duplicated_by";
type Link = z.infer<typeof LinkSchema>;

/** Stored as (source, target, kind): `parent` = source is the parent; `duplicate` = source duplicates target. */
function stored(id: string, targetId: string, kind: LinkKind) {
  if (kind === "parent_of") return { source_id: id, target_id: targetId, kind: "parent" as const };
  if (kind === "child_of") return { source_id: targetId, target_id: id, kind: "parent" as const };
  if (kind === "duplicate_of") return { source_id: id, target_id: targetId, kind: "duplicate" as const };
  if (kind === "duplicated_by") return { source_id: targetId, target_id: id, kind: "duplicate" as const };
  const [a, b] = [id, targetId].sort() as [string, string];
  return { source_id: a, target_id: b, kind: "related" as const };
}

/** The other ticket of a link or merge, when the caller may see it; otherwise a field error (never a hint it exists). */
async function targetTicket(tx: Executor, access: TicketAccess, id: string, lock = false): Promise<TicketRow> {
  try {
    return (await readableTicket(tx, access, id, lock)).row;
  } catch (error) {
    if (error instanceof NotFound) throw new Invalid([{ field: "body.targetId", message: "no such ticket" }]);
    throw error;
  }
}

/** Stores a link (once) with its audit row and event; the caller has checked both tickets. */
export async function insertLink(tx: Tx, ctx: RequestContext, id: string, targetId: string, kind: LinkKind) {
  const inserted = await tx
    .insertInto("ticket_links")
    .values(stored(id, targetId, kind))
    .onConflict((oc) => oc.doNothing())
    .returning("kind")
    .executeTakeFirst();
  if (!inserted) return;
  await appendAudit(tx, ctx, {
    action: "ticket.linked",
    entityType: "ticket",
    entityId: id,
    changes: { link: [null, { kind, targetId }] },
  });
  await recordEvent(tx, ctx, {
    type: "ticket.linked",
    entityType: "ticket",
    entityId: id,
    payload: { kind, targetId },
  });
}

export async function addLink(deps: Deps, ctx: RequestContext, id: string, input: z.infer<typeof LinkCreateSchema>) {
  if (id === input.targetId) throw new Invalid([{ field: "body.targetId", message: "a ticket cannot link to itself" }]);
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row } = await readableTicket(tx, access, id, true);
    if (!canUpdateTicket(access, row)) throw new Forbidden("You may not link this ticket");
    await targetTicket(tx, access, input.targetId);
    const link = stored(id, input.targetId, input.kind);
    if (link.kind === "parent") {
      // No cycles: the future child must not already be an ancestor of the future parent.
      const cycle = await repo.isAncestor(tx, link.target_id, link.source_id);
      if (cycle)
        throw new Conflict("That would make a ticket its own ancestor", [{ field: "body.kind", message: "cycle" }]);
    }
    await insertLink(tx, ctx, id, input.targetId, input.kind);
    return listLinksIn(tx, access, id);
  });
}

export async function removeLink(deps: Deps, ctx: RequestContext, id: string, targetId: string, kind: LinkKind) {
  await inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row } = await readableTicket(tx, access, id, true);
    if (!canUpdateTicket(access, row)) throw new Forbidden("You may not unlink this ticket");
    const link = stored(id, targetId, kind);
    const gone = await tx
      .deleteFrom("ticket_links")
      .where("source_id", "=", link.source_id)
      .where("target_id", "=", link.target_id)
      .where("kind", "=", link.kind)
      .executeTakeFirst();
    if (gone.numDeletedRows > 0n) {
      await appendAudit(tx, ctx, {
        action: "ticket.unlinked",
        entityType: "ticket",
        entityId: id,
        changes: { link: [{ kind, targetId }, null] },
      });
    }
  });
}

async function listLinksIn(db: Executor, access: TicketAccess, id: string) {
  const rows = await repo.linksOf(db, id);
  const otherIds = rows.map((r) => (r.source_id === id ? r.target_id : r.source_id));
  const tickets = new Map((await repo.ticketsByIds(db, otherIds)).map((t) => [t.id, t]));
  const watchers = await repo.watchersOf(db, otherIds);
  const items: Link[] = [];
  for (const r of rows) {
    const outgoing = r.source_id === id;
    const other = tickets.get(outgoing ? r.target_id : r.source_id);
    // Only what the caller could open themselves.
    if (!other || !canReadTicket(access, other, watchers.get(other.id) ?? [])) continue;
    const kind =
      r.kind === "related"
        ? "related"
        : r.kind === "parent"
          ? outgoing
            ? "parent_of"
            : "child_of"
          : outgoing
            ? "duplicate_of"
            : "duplicated_by";
    items.push({
      kind,
      ticket: {
        id: other.id,
        number: ticketNumber(other.type, other.number),
        title: other.title,
        state: other.state,
        stateType: other.state_type,
        mergedIntoId: other.merged_into_id,
      },
    });
  }
  return { items };
}

export async function listLinks(deps: Deps, ctx: RequestContext, id: string) {
  const access = await loadAccess(deps.db, ctx.actor);
  await readableTicket(deps.db, access, id);
  return listLinksIn(deps.db, access, id);
}

/**
 * Merges a ticket into another: its replies and notes move to the target, it
 * becomes read-only with a pointer to the target, links as a duplicate, and
 * stops escalating.
 */
export async function mergeTicket(deps: Deps, ctx: RequestContext, id: string, targetId: string) {
  if (id === targetId) throw new Invalid([{ field: "body.targetId", message: "a ticket cannot merge into itself" }]);
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row, watcherIds } = await readableTicket(tx, access, id, true);
    if (!canUpdateTicket(access, row)) throw new Forbidden("This ticket cannot be merged by you (or any more)");
    const target = await targetTicket(tx, access, targetId, true);
    if (!canUpdateTicket(access, target)) {
      throw new Invalid([{ field: "body.targetId", message: "the target is closed or merged itself" }]);
    }
    const now = deps.now();
    const moved = await tx
      .updateTable("ticket_articles")
      .set({ ticket_id: targetId })
      .where("ticket_id", "=", id)
      .where("kind", "in", ["reply", "note"])
      .executeTakeFirst();
    const files = await tx
      .updateTable("attachments")
      .set({ ticket_id: targetId })
      .where("ticket_id", "=", id)
      .executeTakeFirst();
    // The merged state is closed: the ticket leaves open work lists and counts, and its clocks stop.
    const merged = await tx
      .updateTable("tickets")
      .set({
        merged_into_id: targetId,
        state: MERGED_STATE,
        state_type: "closed",
        hold_reason: null,
        closed_at: now,
        escalation_at: null,
        sla_due_at: null,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("ticket_links")
      .values({ source_id: id, target_id: targetId, kind: "duplicate" })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const changes = await recordChange(tx, ctx, {
      entityType: "ticket",
      entityId: id,
      action: "updated",
      before: snapshot(presentTicket(row, watcherIds, access)),
      after: snapshot(presentTicket(merged, watcherIds, access)),
    });
    await systemEvent(tx, ctx, id, changes, now, {
      mergedInto: { id: targetId, number: ticketNumber(target.type, target.number) },
    });
    await repo.insertArticle(tx, {
      ticketId: targetId,
      kind: "system",
      authorId: ctx.actor.id,
      event: {
        merged: {
          from: id,
          number: ticketNumber(row.type, row.number),
          articles: Number(moved.numUpdatedRows),
          attachments: Number(files.numUpdatedRows),
        },
      },
      source: ctx.source,
      at: now,
    });
    await afterTicketChange(tx, ctx, merged, now);
    await afterTicketChange(tx, ctx, target, now);
    return presentTicket(merged, watcherIds, access);
  });
}
