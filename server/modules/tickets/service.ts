import type { Ticket, TicketCreate, TicketListQuery, TicketUpdate } from "../../../common/tickets.ts";
import { ticketNumber, WORKFLOWS } from "../../../common/workflows.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { TicketRow } from "../../db/types.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { sanitizeRichText, textOf } from "../../platform/html.ts";
import { page } from "../../platform/pagination.ts";
import { changedOnly, expectedVersion, sameMembers } from "../../platform/versioning.ts";
import { activeGroupIdsOf, organizationSharesTickets } from "../identity/index.ts";
import { validateCustomFields } from "./custom-fields.ts";
import { canCreateType, canReadTicket, canUpdateTicket, type TicketAccess, visibleTickets } from "./policy.ts";
import { presentTicket } from "./presenters.ts";
import { checkReferences, organizationOf } from "./references.ts";
import * as repo from "./repository.ts";
import { afterTicketChange } from "./sla.ts";

export async function loadAccess(db: Executor, actor: Actor): Promise<TicketAccess> {
  if (actor.kind === "customer") {
    return {
      actor,
      groupIds: new Set(),
      organizationShared: await organizationSharesTickets(db, actor.organizationId),
    };
  }
  return { actor, groupIds: new Set(await activeGroupIdsOf(db, actor.id)), organizationShared: false };
}

/** Reads a ticket the caller may see (404 otherwise), optionally locked for an update. */
export async function readableTicket(
  db: Executor,
  access: TicketAccess,
  id: string,
  lock = false,
): Promise<{ row: TicketRow; watcherIds: string[] }> {
  const row = await repo.findTicket(db, id, lock);
  if (!row) throw new NotFound("Ticket");
  const watcherIds = (await repo.watchersOf(db, [id])).get(id) ?? [];
  if (!canReadTicket(access, row, watcherIds)) throw new NotFound("Ticket");
  return { row, watcherIds };
}

export async function getTicket(deps: Deps, ctx: RequestContext, id: string): Promise<Ticket> {
  const access = await loadAccess(deps.db, ctx.actor);
  const { row, watcherIds } = await readableTicket(deps.db, access, id);
  return presentTicket(row, watcherIds, access);
}

export async function listTickets(deps: Deps, ctx: RequestContext, query: TicketListQuery) {
  const access = await loadAccess(deps.db, ctx.actor);
  const assigneeId = query.assigneeId === "me" ? ctx.actor.id : query.assigneeId;
  const requesterId = query.requesterId === "me" ? ctx.actor.id : query.requesterId;
  const watcherId = query.watcherId === "me" ? ctx.actor.id : query.watcherId;
  const rows = await repo.listTickets(deps.db, {
    ...query,
    assigneeId,
    requesterId,
    watcherId,
    now: deps.now(),
    visible: visibleTickets(access) as never,
  });
  const result = page(rows, query.limit, (r) => repo.cursorKey(r, query.sort));
  const watchers = await repo.watchersOf(
    deps.db,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) => presentTicket(r, watchers.get(r.id) ?? [], access)),
    nextCursor: result.nextCursor,
  };
}

export async function createTicket(deps: Deps, ctx: RequestContext, input: TicketCreate): Promise<Ticket> {
  const { actor } = ctx;
  if (!canCreateType(actor, input.type)) throw new Forbidden(`You may not create a ${input.type.replace("_", " ")}`);
  if (actor.kind === "customer") {
    const agentOnly = (
      ["requesterId", "organizationId", "groupId", "assigneeId", "watcherIds", "tags"] as const
    ).filter((k) => input[k] !== undefined);
    if (agentOnly.length) {
      throw new Invalid(agentOnly.map((k) => ({ field: `body.${k}`, message: "set by the service desk" })));
    }
  }
  const description = sanitizeRichText(input.description);
  return inTransaction(deps.db, async (tx) => {
    const requesterId = actor.kind === "customer" ? actor.id : (input.requesterId ?? null);
    let organizationId = actor.kind === "customer" ? actor.organizationId : (input.organizationId ?? null);
    if (actor.kind === "agent" && input.organizationId === undefined && requesterId) {
      organizationId = await organizationOf(tx, requesterId);
    }
    return insertTicket(tx, deps.now(), ctx, {
      ...input,
      description,
      requesterId,
      organizationId,
      enforceRequired: actor.kind === "agent",
    });
  });
}

/**
 * Writes a new ticket whose input is already checked for who may set what (description already
 * clean): references, custom fields, number, priority, watchers, audit, event and SLA clocks.
 */
export async function insertTicket(
  tx: Tx,
  now: Date,
  ctx: RequestContext,
  input: TicketCreate & { requesterId: string | null; organizationId: string | null; enforceRequired: boolean },
): Promise<Ticket> {
  const { actor } = ctx;
  const { description, requesterId, organizationId } = input;
  const groupId = input.groupId ?? (await repo.setting<string>(tx, "tickets.defaultGroupId")) ?? null;
  const watcherIds = [...new Set(input.watcherIds ?? [])].sort();
  const errors = await checkReferences(tx, { ...input, requesterId, organizationId, watcherIds });
  const custom = await validateCustomFields(tx, input.type, input.customFields, null, {
    enforceRequired: input.enforceRequired,
  });
  errors.push(...custom.errors);
  if (errors.length) throw new Invalid(errors);
  const workflow = WORKFLOWS[input.type];
  const row = await tx
    .insertInto("tickets")
    .values({
      type: input.type,
      number: await repo.nextNumber(tx, input.type),
      title: input.title,
      description,
      description_text: textOf(description),
      state: workflow.initial,
      state_type: workflow.states[workflow.initial] ?? "new",
      hold_reason: null,
      impact: input.impact,
      urgency: input.urgency,
      priority: await repo.priorityFor(tx, input.impact, input.urgency),
      category_id: input.categoryId ?? null,
      requester_id: requesterId,
      organization_id: organizationId,
      group_id: groupId,
      assignee_id: input.assigneeId ?? null,
      problem_id: null,
      merged_into_id: null,
      custom_fields: JSON.stringify(custom.values),
      tags: [...new Set(input.tags ?? [])],
      resolution_code: null,
      resolution: null,
      root_cause: null,
      workaround: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.setWatchers(tx, row.id, watcherIds);
  const access = await loadAccess(tx, actor);
  const ticket = presentTicket(row, watcherIds, access);
  await recordChange(tx, ctx, {
    entityType: "ticket",
    entityId: row.id,
    action: "created",
    before: null,
    after: snapshot(ticket),
  });
  await afterTicketChange(tx, ctx, row, now);
  return ticket;
}

/** The fields an audit diff and an event carry (not the description's HTML twice, not abilities). */
export function snapshot(t: Ticket): Record<string, unknown> {
  const { abilities: _a, description: _d, ...rest } = t;
  return rest;
}

export async function updateTicket(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: TicketUpdate,
  ifMatch?: number,
): Promise<Ticket> {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row, watcherIds } = await readableTicket(tx, access, id, true);
    if (!canUpdateTicket(access, row)) throw new Forbidden("This ticket cannot be edited by you (or any more)");
    if (row.version !== expected) throw new StaleVersion("Ticket", row.version);
    if (input.problemId !== undefined && input.problemId !== null && row.type !== "incident") {
      throw new Invalid([{ field: "body.problemId", message: "only incidents link to a problem" }]);
    }
    // Watchers already on the ticket stay even when they have been deactivated since; only new ones are checked.
    const addedWatchers = input.watcherIds?.filter((w) => !watcherIds.includes(w));
    const errors = await checkReferences(tx, { ...input, watcherIds: addedWatchers });
    const custom =
      input.customFields !== undefined
        ? await validateCustomFields(tx, row.type, input.customFields, row.custom_fields ?? {})
        : null;
    if (custom) errors.push(...custom.errors);
    if (errors.length) throw new Invalid(errors);
    const before = presentTicket(row, watcherIds, access);
    const description = input.description !== undefined ? sanitizeRichText(input.description) : undefined;
    const impact = input.impact ?? row.impact;
    const urgency = input.urgency ?? row.urgency;
    const set = changedOnly(row, {
      title: input.title,
      description,
      description_text: description !== undefined ? textOf(description) : undefined,
      impact: input.impact,
      urgency: input.urgency,
      priority:
        input.impact !== undefined || input.urgency !== undefined
          ? await repo.priorityFor(tx, impact, urgency)
          : undefined,
      requester_id: input.requesterId,
      organization_id: input.organizationId,
      group_id: input.groupId,
      assignee_id: input.assigneeId,
      category_id: input.categoryId,
      problem_id: input.problemId,
      tags: input.tags ? [...new Set(input.tags)] : undefined,
      custom_fields: custom ? custom.values : undefined,
    });
    const newWatchers = input.watcherIds ? [...new Set(input.watcherIds)].sort() : watcherIds;
    const watchersChanged = !sameMembers(newWatchers, watcherIds);
    if (Object.keys(set).length === 0 && !watchersChanged) return before;
    const updated = await tx
      .updateTable("tickets")
      .set({
        ...set,
        custom_fields: set.custom_fields ? JSON.stringify(set.custom_fields) : undefined,
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (watchersChanged) await repo.setWatchers(tx, id, newWatchers);
    const after = presentTicket(updated, newWatchers, access);
    const changes = await recordChange(tx, ctx, {
      entityType: "ticket",
      entityId: id,
      action: "updated",
      before: snapshot(before),
      after: snapshot(after),
    });
    await systemEvent(tx, ctx, id, changes, deps.now());
    await afterTicketChange(tx, ctx, updated, deps.now());
    return after;
  });
}

const TIMELINE_FIELDS = ["state", "holdReason", "priority", "groupId", "assigneeId", "problemId", "mergedIntoId"];

/** Changes a person follows on the timeline (state, priority, assignment) become one system entry. */
export async function systemEvent(
  tx: Tx,
  ctx: RequestContext,
  ticketId: string,
  changes: Record<string, [unknown, unknown]>,
  at: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const shown = Object.fromEntries(Object.entries(changes).filter(([k]) => TIMELINE_FIELDS.includes(k)));
  if (Object.keys(shown).length === 0) return;
  await repo.insertArticle(tx, {
    ticketId,
    kind: "system",
    authorId: ctx.actor.via === "system" ? null : ctx.actor.id,
    event: { changes: shown, ...extra },
    source: ctx.source,
    at,
  });
}

/** Tickets among `ids` the actor may read, as summaries (for other modules, e.g. the CMDB's impact view). */
export async function readableTicketSummaries(db: Executor, actor: Actor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const access = await loadAccess(db, actor);
  const rows = await repo.ticketsByIds(db, [...new Set(ids)]);
  const watchers = await repo.watchersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows
    .filter((r) => canReadTicket(access, r, watchers.get(r.id) ?? []))
    .map((r) => ({
      id: r.id,
      number: ticketNumber(r.type, r.number),
      title: r.title,
      state: r.state,
      stateType: r.state_type,
      type: r.type,
      organizationId: r.organization_id,
    }));
}

/** A ticket the actor may change, or NotFound/Forbidden (for other modules that attach things to tickets). */
export async function editableTicket(db: Executor, actor: Actor, id: string, lock = false) {
  const access = await loadAccess(db, actor);
  const { row } = await readableTicket(db, access, id, lock);
  if (!canUpdateTicket(access, row)) throw new Forbidden("This ticket cannot be changed by you (or any more)");
  return { id: row.id, type: row.type, organizationId: row.organization_id, requesterId: row.requester_id };
}
